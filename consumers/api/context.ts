// What the API Lambdas (initiation, payments-api) run on: per-tenant stores, the event
// publisher, logger and tracer. On Lambda (and in the local AppSync emulator, which
// imports `handler`) it is built from the environment once per container:
//   PAYRAIL_ENV, PAYRAIL_SECRET, AWS_ENDPOINT_URL_DYNAMODB (local), KAFKA_BROKERS,
//   PAYRAIL_CONFIG_DIR (config/pipeline.yaml: topics and partition ranges; config/tenants:
//   each tenant's ordering setting, which picks the record key).
import type { Logger } from "@aws-lambda-powertools/logger";
import { loadConfig } from "../../core/config";
import type { EventEnvelope } from "../../core/events";
import type { PaymentEventPublisher } from "../persistence/ports/outbox";
import { type StoreFactory, storeFactoryFromEnv } from "../persistence/stores";
import { createKafkaEventPublisher, type KafkaEventPublisher } from "../pipeline/producer";
import { pipelineRouting } from "../pipeline/routing";
import {
  createLogger,
  createTracer,
  redact,
  requestLogger,
  type TracerPort,
  traced,
} from "../platform/observability";
import { type ApiRequest, type ApiResponse, INTERNAL_ERROR } from "./contract";

export type ApiContext = {
  stores: StoreFactory;
  publisher: PaymentEventPublisher<EventEnvelope>;
  logger: Logger;
  tracer: TracerPort;
  now: () => Date;
  /** How long one initiation may hold its idempotency key before a retry takes over (≥ Lambda timeout). */
  inProgressMs: number;
};

export type ApiHandler = (request: ApiRequest) => Promise<ApiResponse>;

type Env = Record<string, string | undefined>;

export async function apiContextFromEnv(
  serviceName: string,
  env: Env = process.env,
): Promise<ApiContext & { publisher: KafkaEventPublisher }> {
  const brokers = env.KAFKA_BROKERS?.split(",").filter(Boolean);
  if (!brokers?.length) throw new Error("KAFKA_BROKERS is not set");
  const config = await loadConfig(env.PAYRAIL_CONFIG_DIR ?? "config");
  const tracer = createTracer(serviceName);
  return {
    stores: storeFactoryFromEnv(env, tracer),
    publisher: createKafkaEventPublisher({ brokers, clientId: serviceName }, pipelineRouting(config)),
    logger: createLogger(serviceName),
    tracer,
    now: () => new Date(),
    inProgressMs: Number(env.PAYRAIL_IN_PROGRESS_MS ?? 30_000),
  };
}

/**
 * Wraps an API handler for Lambda: builds the context once, and turns an unexpected
 * failure, also one building the context (config, environment), into a generic
 * InternalError; the detail, redacted, goes to the log only, never to the caller.
 */
export function apiLambda(
  serviceName: string,
  create: (ctx: ApiContext) => ApiHandler,
  context: () => Promise<ApiContext> = () => apiContextFromEnv(serviceName),
): ApiHandler {
  let ready: Promise<{ ctx: ApiContext; handle: ApiHandler }> | undefined;
  const startupLogger = createLogger(serviceName);
  return async (request) => {
    ready ??= context()
      .then((ctx) => ({ ctx, handle: create(ctx) }))
      .catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
    let logger = startupLogger;
    try {
      const { ctx, handle } = await ready;
      logger = ctx.logger;
      return await traced(ctx.tracer, request.field, () => {
        if (ctx.tracer.isTracingEnabled()) {
          ctx.tracer.putAnnotation("tenantId", String(request.tenantId));
          ctx.tracer.putAnnotation("correlationId", String(request.correlationId));
        }
        return handle(request);
      });
    } catch (error) {
      requestLogger(logger, {
        tenantId: String(request.tenantId),
        correlationId: String(request.correlationId),
      }).error("request failed", { field: request.field, error: redact(error) });
      return INTERNAL_ERROR;
    }
  };
}
