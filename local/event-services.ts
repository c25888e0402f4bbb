// The services of the local stack that run on events and timers rather than on API
// requests: the event source mappings with the consumers (risk, execution, settlement,
// status, audit, webhooks), the outbox relay, the authorization/refund sweeper and the
// webhook dispatcher. `npm start` runs them on a thread of their own (threads/
// event-services.worker.ts), off the thread of the AppSync emulator and the API functions,
// as AWS runs them in Lambda invocations of their own. Options are plain data, so they
// cross to the thread as they are.
import { join } from "node:path";
import { startAuthorizationSweeper } from "../consumers/auth-sweeper/sweep";
import { pipelineStoreFactory, storeFactory } from "../consumers/persistence/stores";
import { startOutboxRelay } from "../consumers/pipeline/outbox-relay";
import { iamAppSyncClient } from "../consumers/platform/appsync-client";
import { documentClient } from "../consumers/platform/aws";
import { type CallTally, tallyDynamoDbCallsOfNewClients } from "../consumers/platform/call-counter";
import { createLogger, createTracer } from "../consumers/platform/observability";
import { secretsFromEnv } from "../consumers/platform/secrets";
import { loadConfig } from "../core/config";
import { EVENT_SCHEMAS } from "../core/events";
import { fastForwardRefundSettlement } from "../core/processors";
import type { IamCredential } from "./appsync/auth/iam";
import { startPipeline } from "./esm/pipeline";
import { openSchemaRegistry } from "./registry/registry";
import { fileLedgers } from "./sandbox-ledger";
import { startLocalWebhooks } from "./webhooks";

export type EventServicesOptions = {
  env: string;
  region: string;
  configDir: string;
  /** A bank rail's refund settlement day fast-forwarded to this; null keeps config/processors.yaml's. */
  refundSettlementMs: number | null;
  bootstrap: string;
  endpoints: { dynamodb: string; s3: string; graphql: string };
  /** The key pair the status service signs its AppSync mutations with. */
  iamCredential: IamCredential;
  /** Where the schema registry and the sandboxes' ledgers are kept; none: in memory. */
  dataDir?: string;
  /** The outbox relay's minimum age, as long as an initiation holds its idempotency key. */
  inProgressMs: number;
  realLatency: boolean;
  processorCallTimeoutMs?: number;
  /** Count this thread's DynamoDB calls by operation (bench/pipeline); `report()` gives them. */
  countDynamoDbCalls: boolean;
};

export type EventServices = { report(): CallTally | undefined; stop(): Promise<void> };

export async function startEventServices(options: EventServicesOptions): Promise<EventServices> {
  const calls = options.countDynamoDbCalls ? tallyDynamoDbCallsOfNewClients() : undefined;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    const configured = await loadConfig(options.configDir);
    const config =
      options.refundSettlementMs === null
        ? configured
        : {
            ...configured,
            routing: {
              ...configured.routing,
              personalities: fastForwardRefundSettlement(
                configured.routing.personalities,
                options.refundSettlementMs,
              ),
            },
          };
    const tenantIds = () => [...config.tenants.keys()];
    const inDataDir = (name: string) => (options.dataDir ? join(options.dataDir, name) : undefined);
    const registry = await openSchemaRegistry({
      definitions: EVENT_SCHEMAS,
      file: inDataDir("registry.json"),
    });
    // Stopped after the pipeline (stops run in reverse), so recorded deliveries are not cut short.
    const webhooks = await startLocalWebhooks({
      env: options.env,
      configDir: options.configDir,
      dynamodbEndpoint: options.endpoints.dynamodb,
      tenantIds,
    });
    stops.push(() => webhooks.stop());
    const sandboxDir = inDataDir("sandbox");
    const pipeline = await startPipeline({
      env: options.env,
      bootstrap: options.bootstrap,
      config,
      schemas: registry,
      endpoints: options.endpoints,
      updates: iamAppSyncClient({
        url: options.endpoints.graphql,
        region: options.region,
        credentials: options.iamCredential,
      }),
      onWebhooksRecorded: () => webhooks.poke(),
      realLatency: options.realLatency,
      ...(options.processorCallTimeoutMs ? { processorCallTimeoutMs: options.processorCallTimeoutMs } : {}),
      // What the sandbox processors received outlives a crash of the stack, as a real processor's would.
      ...(sandboxDir ? { sandboxLedgers: fileLedgers(sandboxDir) } : {}),
    });
    stops.push(() => pipeline.stop());
    // Events an initiation or review wrote but could not publish before a crash, when no
    // client retry picks them up.
    const documents = documentClient({ endpoint: options.endpoints.dynamodb });
    const relayStores = pipelineStoreFactory(documents, options.env);
    const relay = startOutboxRelay({
      paymentsOf: (tenantId) => relayStores.forTenant(tenantId).payments,
      publisher: pipeline.publisher,
      tenantIds,
      minAgeMs: options.inProgressMs,
      intervalMs: 1000,
      onError: (error) =>
        console.error("outbox relay failed", error instanceof Error ? error.message : error),
    });
    stops.push(() => relay.stop());
    // MANUAL-capture authorizations past their region's window become CANCELED (expired);
    // refunds whose answer waits (a bank's settlement day, before SETTLED) are asked again.
    const sweeper = startAuthorizationSweeper({
      ctx: {
        stores: storeFactory(
          documents,
          options.env,
          secretsFromEnv({ AWS_ENDPOINT_URL_DYNAMODB: options.endpoints.dynamodb }),
        ),
        publisher: pipeline.publisher,
        logger: createLogger("authorization-sweeper"),
        tracer: createTracer("authorization-sweeper"),
        now: () => new Date(),
        inProgressMs: options.inProgressMs,
      },
      tenantIds,
      personalities: config.routing.personalities,
      intervalMs: 5000,
      onError: (error) =>
        console.error("authorization sweep failed", error instanceof Error ? error.message : error),
    });
    stops.push(() => sweeper.stop());
    return { report: () => (calls ? { ...calls } : undefined), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
