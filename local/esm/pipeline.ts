// The consumer side of the pipeline, locally: one event publisher shared by the
// functions, each consumer function built over its adapters, and the event source
// mappings of config/pipeline.yaml running them.

import { createAuditHandler } from "../../consumers/audit/handler";
import { createExecutionHandler } from "../../consumers/execution/handler";
import { sharedProcessorHealth } from "../../consumers/persistence/processor-health";
import { pipelineContext } from "../../consumers/pipeline/context";
import { createKafkaEventPublisher, type KafkaEventPublisher } from "../../consumers/pipeline/producer";
import { pipelineRouting } from "../../consumers/pipeline/routing";
import type { SchemaLookup } from "../../consumers/pipeline/schema-ids";
import type { PaymentUpdatePublisher } from "../../consumers/platform/appsync-client";
import { documentClient, s3Client } from "../../consumers/platform/aws";
import type { DynamoDbCallRecorder } from "../../consumers/platform/call-counter";
import { kafkaClient } from "../../consumers/platform/kafka-client";
import { createRiskHandler } from "../../consumers/risk/handler";
import { createSettlementHandler } from "../../consumers/settlement/handler";
import { createStatusHandler } from "../../consumers/status/handler";
import { createWebhooksHandler } from "../../consumers/webhooks/handler";
import type { PayrailConfig } from "../../core/config";
import {
  type ProcessorRegistry,
  realWait,
  reportedWait,
  type SandboxLedger,
  sandboxProcessors,
} from "../../core/processors";
import { pipelineMappings } from "./mappings";
import { type Invocation, startEventSourceMappings } from "./runner";

export type PipelineOptions = {
  env: string;
  bootstrap: string;
  config: PayrailConfig;
  schemas: SchemaLookup;
  endpoints: { dynamodb: string; s3: string };
  updates: PaymentUpdatePublisher;
  /** Execution's processors (tests wrap them); the sandboxes of config/processors.yaml by default. */
  processors?: ProcessorRegistry;
  /** The sandboxes sleep their personality's latency (`PAYRAIL_SANDBOX_LATENCY=real`); else they only report it. */
  realLatency?: boolean;
  /** Each processor call's timeout in execution (2 s by default). */
  processorCallTimeoutMs?: number;
  /** The sandboxes' ledgers (the stack keeps them in files); in memory by default. */
  sandboxLedgers?: (processor: string) => SandboxLedger;
  onInvocation?: (invocation: Invocation) => void;
  /** Counts each service's DynamoDB calls (then every service gets a client of its own). */
  onDynamoDbCall?: (serviceName: string) => DynamoDbCallRecorder;
  /** The webhooks consumer recorded deliveries for these tenants (the local dispatcher delivers them). */
  onWebhooksRecorded?: (tenantIds: string[]) => void;
};

export type LocalPipeline = { publisher: KafkaEventPublisher; stop(): Promise<void> };

export async function startPipeline(options: PipelineOptions): Promise<LocalPipeline> {
  const publisher = createKafkaEventPublisher(
    { brokers: [options.bootstrap], clientId: "payrail-consumers" },
    pipelineRouting(options.config, options.schemas),
  );
  const shared = documentClient({ endpoint: options.endpoints.dynamodb });
  const { onDynamoDbCall } = options;
  const dynamoOf = (serviceName: string) =>
    onDynamoDbCall
      ? documentClient({ endpoint: options.endpoints.dynamodb, onDynamoDbCall: onDynamoDbCall(serviceName) })
      : shared;
  const s3 = s3Client({ endpoint: options.endpoints.s3 });
  const context = (serviceName: string) =>
    pipelineContext({
      serviceName,
      env: options.env,
      schemas: options.schemas,
      publisher,
      dynamo: dynamoOf(serviceName),
      s3,
    });
  const executionContext = context("execution");
  try {
    const runner = await startEventSourceMappings({
      kafka: kafkaClient({ brokers: [options.bootstrap], clientId: "payrail-esm" }),
      bootstrapServers: options.bootstrap,
      onInvocation: options.onInvocation,
      mappings: pipelineMappings(options.config.pipeline, {
        risk: createRiskHandler(context("risk"), options.config),
        execution: createExecutionHandler(executionContext, options.config, {
          processors:
            options.processors ??
            sandboxProcessors(
              options.config.routing.personalities,
              options.realLatency ? realWait : reportedWait,
              options.sandboxLedgers ? { ledgerOf: options.sandboxLedgers } : {},
            ),
          health: sharedProcessorHealth(
            executionContext.stores.processorHealth,
            options.config.routing.breaker,
            {
              onFlushError: (error) =>
                executionContext.logger.warn("breaker samples not written yet", { error }),
            },
          ),
          ...(options.processorCallTimeoutMs ? { perCallTimeoutMs: options.processorCallTimeoutMs } : {}),
        }),
        settlement: createSettlementHandler(context("settlement")),
        status: createStatusHandler(context("status"), options.updates),
        audit: createAuditHandler(context("audit")),
        webhooks: createWebhooksHandler(
          context("webhooks"),
          options.onWebhooksRecorded ? { onRecorded: options.onWebhooksRecorded } : {},
        ),
      }),
    });
    return {
      publisher,
      async stop() {
        await runner.stop();
        await publisher.disconnect();
      },
    };
  } catch (error) {
    await publisher.disconnect();
    throw error;
  }
}
