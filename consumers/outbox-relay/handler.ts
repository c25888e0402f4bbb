// Lambda entry point of the scheduled outbox relay (EventBridge, once a minute); see
// ./relay. Built from the environment once per container and kept across invocations:
//   KAFKA_BROKERS, PAYRAIL_KAFKA_AUTH, PAYRAIL_ENV, PAYRAIL_CONFIG_DIR
//   (pipeline.yaml for topics and partitions, tenants/*.yaml for the tenants to sweep),
//   PAYRAIL_TENANT_ROLE_ARN (each tenant's payments table is reached with that tenant's
//   role), PAYRAIL_IN_PROGRESS_MS (events younger than this are left to their request;
//   the CDK app gives the API functions and the relay the same value, as local/start.ts
//   does), PAYRAIL_RELAY_CONCURRENCY (tenants swept at once, default 4).
//
// Tenants come from the config/ bundled with the function rather than the control plane:
// the control-plane table has no list operation (and listing it would read token hashes),
// while the bundled config/tenants is exactly the set of tenants whose stacks (tables and
// the relay's role) are deployed: `payrail tenant create --deploy` deploys the tenant's
// stack before redeploying the services with the new config.
import type { ScheduledEvent } from "aws-lambda";
import { loadConfig } from "../../core/config";
import { pipelineStoreFactory } from "../persistence/stores";
import { createKafkaEventPublisher } from "../pipeline/producer";
import { pipelineRouting } from "../pipeline/routing";
import { documentClient, tenantClients } from "../platform/aws";
import { createLogger, createTracer, redact, type TracerPort } from "../platform/observability";
import { createOutboxRelay, type OutboxRelayDeps, type SweepSummary } from "./relay";

export const SERVICE_NAME = "outbox-relay";
const DEFAULT_IN_PROGRESS_MS = 30_000;

type Env = Record<string, string | undefined>;

function nonNegative(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
}

/** Each tenant's payments table through that tenant's role (PAYRAIL_TENANT_ROLE_ARN), nothing else. */
function outboxesFromEnv(env: Env, tracer: TracerPort): OutboxRelayDeps["paymentsOf"] {
  const clients = tenantClients(env);
  // Its own client reaches nothing (no grant): only tenants' payments tables, with their roles.
  const stores = pipelineStoreFactory(documentClient({}, env), env.PAYRAIL_ENV ?? "local", (tenantId) =>
    tracer.captureAWSv3Client(clients.documents(tenantId)),
  );
  return (tenantId) => stores.forTenant(tenantId).payments;
}

export async function relayDepsFromEnv(env: Env = process.env): Promise<OutboxRelayDeps> {
  const brokers = env.KAFKA_BROKERS?.split(",").filter(Boolean);
  if (!brokers?.length) throw new Error("KAFKA_BROKERS is not set");
  const config = await loadConfig(env.PAYRAIL_CONFIG_DIR ?? "config");
  const tracer = createTracer(SERVICE_NAME);
  const tenantIds = [...config.tenants.keys()];
  return {
    paymentsOf: outboxesFromEnv(env, tracer),
    publisher: createKafkaEventPublisher({ brokers, clientId: SERVICE_NAME }, pipelineRouting(config)),
    tenantIds: () => tenantIds,
    minAgeMs: nonNegative(env, "PAYRAIL_IN_PROGRESS_MS", DEFAULT_IN_PROGRESS_MS),
    concurrency: nonNegative(env, "PAYRAIL_RELAY_CONCURRENCY", 4),
    logger: createLogger(SERVICE_NAME),
    tracer,
  };
}

/** A relay whose dependencies are built on first use; a failed build fails the invocation and is retried next time. */
export function relayLambda(
  deps: () => Promise<OutboxRelayDeps> = () => relayDepsFromEnv(),
): (event: ScheduledEvent) => Promise<SweepSummary> {
  let ready: Promise<ReturnType<typeof createOutboxRelay>> | undefined;
  return async (event) => {
    ready ??= deps()
      .then(createOutboxRelay)
      .catch((error: unknown) => {
        ready = undefined;
        createLogger(SERVICE_NAME).error("outbox relay could not start", {
          correlationId: event.id,
          error: redact(error),
        });
        throw error;
      });
    return (await ready)(event);
  };
}

export const handler = relayLambda();
