// Webhook delivery on the local stack: the dispatcher (consumers/webhooks/dispatcher) on a
// timer loop, poked by the webhooks consumer whenever it records deliveries, with the local
// retry schedule of config/webhooks.yaml and loopback receivers allowed. POSTs really go
// over HTTP to the registered URL.
import { dynamoDbWebhookStore } from "../consumers/persistence/dynamodb/webhooks";
import { urlPolicyOf } from "../consumers/platform/address-guard";
import { documentClient } from "../consumers/platform/aws";
import { createLogger } from "../consumers/platform/observability";
import { secretsFromEnv } from "../consumers/platform/secrets";
import { postWebhook } from "../consumers/platform/webhook-post";
import {
  type DispatcherLoop,
  type DispatcherOptions,
  startWebhookDispatcherLoop,
  webhookDispatcher,
} from "../consumers/webhooks/dispatcher";
import { tenantTables } from "../core/storage/tables";
import { loadWebhookConfig, type RetrySchedule } from "../core/webhooks";

export type LocalWebhooksOptions = {
  env: string;
  configDir: string;
  dynamodbEndpoint: string;
  tenantIds: () => readonly string[];
  /** Overrides config/webhooks.yaml's localRetry (tests). */
  schedule?: RetrySchedule;
  intervalMs?: number;
  onAttempt?: DispatcherOptions["onAttempt"];
};

export async function startLocalWebhooks(options: LocalWebhooksOptions): Promise<DispatcherLoop> {
  const config = await loadWebhookConfig(options.configDir);
  const documents = documentClient({ endpoint: options.dynamodbEndpoint });
  const { webhookSecretKey } = secretsFromEnv({ AWS_ENDPOINT_URL_DYNAMODB: options.dynamodbEndpoint });
  let loop: DispatcherLoop | undefined;
  const dispatcher = webhookDispatcher({
    tenantIds: options.tenantIds,
    storeOf: (tenantId) => {
      const tables = tenantTables(options.env, tenantId);
      return dynamoDbWebhookStore(
        documents,
        { endpoints: tables.webhookEndpoints, deliveries: tables.webhookDeliveries },
        webhookSecretKey,
      );
    },
    schedule: options.schedule ?? config.localRetry,
    timeoutMs: config.timeoutMs,
    perEndpointConcurrency: config.perEndpointConcurrency,
    policy: urlPolicyOf(options.env),
    post: postWebhook,
    logger: createLogger("webhook-dispatcher"),
    onSettled: () => loop?.poke(),
    ...(options.onAttempt ? { onAttempt: options.onAttempt } : {}),
  });
  loop = startWebhookDispatcherLoop(dispatcher, {
    intervalMs: options.intervalMs ?? 250,
    onError: (error) =>
      console.error("webhook dispatcher failed", error instanceof Error ? error.message : error),
  });
  return loop;
}
