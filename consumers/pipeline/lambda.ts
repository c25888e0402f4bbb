// Lambda entry points of the Kafka-triggered functions: the context is built from the
// environment once per container (KAFKA_BROKERS, PAYRAIL_ENV, PAYRAIL_CONFIG_DIR; the
// AWS endpoints and credentials as the SDK finds them) and kept across invocations.
import type { MSKEvent } from "aws-lambda";
import { loadConfig, type PayrailConfig } from "../../core/config";
import { type PipelineContext, pipelineContext } from "./context";
import { createKafkaEventPublisher } from "./producer";
import { pipelineRouting } from "./routing";
import { knownSchemas } from "./schema-ids";

type Env = Record<string, string | undefined>;
export type MskHandler = (event: MSKEvent) => Promise<void>;
export type Wiring = { ctx: PipelineContext; config: PayrailConfig; env: Env };

export async function wiringFromEnv(serviceName: string, env: Env = process.env): Promise<Wiring> {
  const brokers = env.KAFKA_BROKERS?.split(",").filter(Boolean);
  if (!brokers?.length) throw new Error("KAFKA_BROKERS is not set");
  const config = await loadConfig(env.PAYRAIL_CONFIG_DIR ?? "config");
  const schemas = knownSchemas();
  const publisher = createKafkaEventPublisher(
    { brokers, clientId: serviceName },
    pipelineRouting(config, schemas),
  );
  const ctx = pipelineContext({ serviceName, env: env.PAYRAIL_ENV ?? "local", schemas, publisher });
  return { ctx, config, env };
}

/** A handler whose dependencies are built on first use; a failed build is retried next time. */
export function mskLambda(serviceName: string, create: (wiring: Wiring) => MskHandler): MskHandler {
  let ready: Promise<MskHandler> | undefined;
  return async (event) => {
    ready ??= wiringFromEnv(serviceName)
      .then(create)
      .catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
    await (await ready)(event);
  };
}
