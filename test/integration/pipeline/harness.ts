// The consumer pipeline on real local servers (broker, dynalite, s3rver) with the demo
// tenants provisioned and E1's initiation handler as the way in; subscription updates
// are collected from the status service's PaymentUpdatePublisher port.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";
import type { ApiContext, ApiHandler } from "../../../consumers/api/context";
import type { ApiResponse } from "../../../consumers/api/contract";
import { createInitiationHandler } from "../../../consumers/initiation/initiate";
import { createPaymentsApiHandler } from "../../../consumers/payments-api/api";
import { storeFactory } from "../../../consumers/persistence/stores";
import type { PaymentUpdatePublisher } from "../../../consumers/platform/appsync-client";
import { documentClient, dynamoDbClient, s3Client } from "../../../consumers/platform/aws";
import type { DynamoDbCallRecorder } from "../../../consumers/platform/call-counter";
import { kafkaClient } from "../../../consumers/platform/kafka-client";
import { createLogger, createTracer } from "../../../consumers/platform/observability";
import { deriveSecrets } from "../../../consumers/platform/secrets";
import { loadConfig, type PayrailConfig } from "../../../core/config";
import { EVENT_SCHEMAS } from "../../../core/events";
import type { InitiatePaymentInput, PaymentUpdateInput } from "../../../core/generated/graphql";
import type { ProcessorRegistry } from "../../../core/processors";
import { startDynamoDb } from "../../../local/dynamodb";
import { type LocalPipeline, startPipeline } from "../../../local/esm/pipeline";
import { ensurePipelineTopics } from "../../../local/esm/topics";
import { startBroker } from "../../../local/kafka/broker";
import { silentLogger } from "../../../local/kafka/logger";
import { provisionTenant } from "../../../local/provisioning";
import { openSchemaRegistry } from "../../../local/registry/registry";
import { startS3 } from "../../../local/s3";

export type Harness = {
  config: PayrailConfig;
  bootstrap: string;
  endpoints: { dynamodb: string; s3: string };
  updates: PaymentUpdateInput[];
  stores: ReturnType<typeof storeFactory>;
  initiate(tenantId: string, input: InitiatePaymentInput): Promise<ApiResponse>;
  /** What the API functions (and the sweepers) get: the harness's stores and pipeline. */
  apiContext(over?: Partial<ApiContext>): ApiContext;
  /** The payments API on that context, with the harness's config. */
  paymentsApi(over?: Partial<ApiContext>): ApiHandler;
  /** Resolves when `paymentId` has an update with `status`, or rejects after `timeoutMs`. */
  waitFor(paymentId: string, status: string, timeoutMs?: number): Promise<PaymentUpdateInput>;
  pipeline: LocalPipeline;
  stop(): Promise<void>;
};

export type HarnessOptions = {
  /** Changes the repository's config before anything starts (e.g. a tenant's settings). */
  configure?: (config: PayrailConfig) => PayrailConfig;
  /** Execution's processors, built from the (configured) config: tests wrap the sandboxes. */
  processors?: (config: PayrailConfig) => ProcessorRegistry;
  /** Counts the DynamoDB calls of each service (the initiation handler is "initiation"). */
  onDynamoDbCall?: (serviceName: string) => DynamoDbCallRecorder;
};

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const s3Dir = await mkdtemp(join(tmpdir(), "payrail-pipeline-s3-"));
  const loaded = await loadConfig("config");
  const config = options.configure?.(loaded) ?? loaded;
  const [broker, dynamo, s3, registry] = await Promise.all([
    startBroker({ port: 0, memory: true, logger: silentLogger }),
    startDynamoDb({ port: 0 }),
    startS3({ port: 0, directory: s3Dir }),
    openSchemaRegistry({ definitions: EVENT_SCHEMAS }),
  ]);
  const bootstrap = `127.0.0.1:${broker.port}`;
  const endpoints = { dynamodb: dynamo.endpoint, s3: s3.endpoint };
  const target = {
    env: "local",
    dynamodb: dynamoDbClient({ endpoint: dynamo.endpoint }),
    s3: s3Client({ endpoint: s3.endpoint }),
  };
  await Promise.all([
    ensurePipelineTopics(kafkaClient({ brokers: [bootstrap], clientId: "harness" }), config.pipeline),
    ...[...config.tenants.values()].map((tenant) => provisionTenant(tenant, target)),
  ]);
  const updates: PaymentUpdateInput[] = [];
  const recorder: PaymentUpdatePublisher = {
    async publishPaymentUpdate(input) {
      updates.push(input);
      return { ...input, __typename: "PaymentUpdate" };
    },
  };
  const pipeline = await startPipeline({
    env: "local",
    bootstrap,
    config,
    schemas: registry,
    endpoints,
    updates: recorder,
    processorCallTimeoutMs: 1000,
    ...(options.processors ? { processors: options.processors(config) } : {}),
    onDynamoDbCall: options.onDynamoDbCall,
  });
  const storesCounting = (onDynamoDbCall?: DynamoDbCallRecorder) =>
    storeFactory(
      documentClient({ endpoint: dynamo.endpoint, onDynamoDbCall }),
      "local",
      deriveSecrets("test-secret"),
    );
  const stores = storesCounting();
  const initiation = createInitiationHandler({
    stores: storesCounting(options.onDynamoDbCall?.("initiation")),
    publisher: pipeline.publisher,
    logger: createLogger("initiation"),
    tracer: createTracer("initiation"),
    now: () => new Date(),
    inProgressMs: 30_000,
  });
  const apiContext = (over: Partial<ApiContext> = {}): ApiContext => ({
    stores,
    publisher: pipeline.publisher,
    logger: createLogger("payments-api"),
    tracer: createTracer("payments-api"),
    now: () => new Date(),
    inProgressMs: 30_000,
    ...over,
  });
  return {
    config,
    bootstrap,
    endpoints,
    updates,
    stores,
    pipeline,
    apiContext,
    paymentsApi: (over = {}) => createPaymentsApiHandler(apiContext(over), async () => config),
    initiate: (tenantId, input) =>
      initiation({
        field: "initiatePayment",
        tenantId,
        scopes: ["payments:read", "payments:write"],
        principal: "test",
        arguments: { input },
        correlationId: input.correlationId ?? `corr-${input.idempotencyKey}`,
      }),
    waitFor: (paymentId, status, timeoutMs = 15_000) =>
      vi.waitFor(
        () => {
          const found = updates.find((u) => u.paymentId === paymentId && u.status === status);
          if (found) return found;
          const seen = updates.filter((u) => u.paymentId === paymentId).map((u) => u.status);
          throw new Error(
            `payment ${paymentId} never reached ${status} (saw ${seen.join(" → ") || "nothing"})`,
          );
        },
        { timeout: timeoutMs, interval: 25 },
      ),
    async stop() {
      await pipeline.stop();
      await Promise.allSettled([broker.stop(), dynamo.stop(), s3.stop()]);
      await rm(s3Dir, { recursive: true, force: true });
    },
  };
}
