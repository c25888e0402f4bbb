// Lambda entry point of the scheduled webhook sender (EventBridge, once a minute): runs the
// dispatcher (consumers/webhooks/dispatcher) for up to PAYRAIL_WEBHOOK_RUN_MS (15 s by
// default, under the function timeout), a tick a second, then waits for the POSTs in flight
// (each bounded by config/webhooks.yaml's timeoutMs). One invocation at a time (reserved
// concurrency 1); should two ever overlap, the conditional claim gives each attempt to one.
// Environment: PAYRAIL_ENV, PAYRAIL_CONFIG_DIR (tenants/*.yaml: the tenants to serve;
// webhooks.yaml: the schedule), PAYRAIL_SECRET (unseals signing secrets),
// PAYRAIL_TENANT_ROLE_ARN (each tenant's webhook tables through that tenant's role).
import type { ScheduledEvent } from "aws-lambda";
import { loadConfig } from "../../core/config";
import { loadWebhookConfig } from "../../core/webhooks";
import { storeFactory } from "../persistence/stores";
import { urlPolicyOf } from "../platform/address-guard";
import { documentClient, tenantClients } from "../platform/aws";
import { createLogger, createTracer } from "../platform/observability";
import { secretsFromEnv } from "../platform/secrets";
import { postWebhook } from "../platform/webhook-post";
import { type WebhookDispatcher, webhookDispatcher } from "../webhooks/dispatcher";

export const SERVICE_NAME = "webhook-send";
const TICK_MS = 1000;
/** Under the 30 s function timeout, with room for the last POSTs (timeoutMs, 10 s). */
const DEFAULT_RUN_MS = 15_000;

type Env = Record<string, string | undefined>;

export async function senderFromEnv(env: Env = process.env): Promise<WebhookDispatcher> {
  const configDir = env.PAYRAIL_CONFIG_DIR ?? "config";
  const [config, webhooks] = await Promise.all([loadConfig(configDir), loadWebhookConfig(configDir)]);
  const envName = env.PAYRAIL_ENV ?? "local";
  const clients = tenantClients(env);
  const tracer = createTracer(SERVICE_NAME);
  // Its own client reaches nothing (no grant): only tenants' tables, with their roles.
  const stores = storeFactory(documentClient({}, env), envName, secretsFromEnv(env), (tenantId) =>
    tracer.captureAWSv3Client(clients.documents(tenantId)),
  );
  const tenantIds = [...config.tenants.keys()];
  return webhookDispatcher({
    tenantIds: () => tenantIds,
    storeOf: (tenantId) => stores.forTenant(tenantId).webhooks,
    schedule: envName === "local" ? webhooks.localRetry : webhooks.retry,
    timeoutMs: webhooks.timeoutMs,
    perEndpointConcurrency: webhooks.perEndpointConcurrency,
    policy: urlPolicyOf(envName),
    post: postWebhook,
    logger: createLogger(SERVICE_NAME),
  });
}

/** Ticks for `runMs`, then lets the POSTs in flight finish; a failed tick fails the invocation at the end. */
export async function runFor(
  dispatcher: WebhookDispatcher,
  runMs: number,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
) {
  const until = Date.now() + runMs;
  let failure: unknown;
  while (Date.now() < until) {
    await dispatcher.tick().catch((error: unknown) => {
      failure ??= error;
    });
    await sleep(TICK_MS);
  }
  await dispatcher.idle();
  if (failure) throw failure;
}

let ready: Promise<WebhookDispatcher> | undefined;

export async function handler(_event: ScheduledEvent): Promise<void> {
  ready ??= senderFromEnv().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  await runFor(await ready, Number(process.env.PAYRAIL_WEBHOOK_RUN_MS ?? DEFAULT_RUN_MS));
}
