// config/webhooks.yaml: the delivery timeout, the per-endpoint concurrency bound and the
// retry schedule (one for AWS, a shortened one for the local stack).
import { join } from "node:path";
import { fieldsOf } from "../config/fields";
import { readYaml } from "../config/load";
import type { RetrySchedule } from "./retry-schedule";

export type WebhookConfig = {
  timeoutMs: number;
  perEndpointConcurrency: number;
  retry: RetrySchedule;
  localRetry: RetrySchedule;
};

export function parseWebhookConfig(document: unknown, file: string): WebhookConfig {
  const f = fieldsOf(file);
  const doc = f.object(document, "");
  f.only(doc, "", ["timeoutMs", "perEndpointConcurrency", "retry", "localRetry"]);
  const schedule = (field: string): RetrySchedule => {
    const entry = f.object(doc[field], field);
    f.only(entry, field, ["firstDelaySeconds", "maxDelaySeconds", "giveUpAfterSeconds"]);
    const first = f.integer(entry.firstDelaySeconds, `${field}.firstDelaySeconds`, 1, 86_400);
    const max = f.integer(entry.maxDelaySeconds, `${field}.maxDelaySeconds`, first, 86_400);
    const giveUp = f.integer(entry.giveUpAfterSeconds, `${field}.giveUpAfterSeconds`, max, 30 * 86_400);
    return { firstDelayMs: first * 1000, maxDelayMs: max * 1000, giveUpAfterMs: giveUp * 1000 };
  };
  return {
    // Partners are promised 10 s; a longer wait would hold a concurrency slot for nothing.
    timeoutMs: f.integer(doc.timeoutMs, "timeoutMs", 100, 10_000),
    perEndpointConcurrency: f.integer(doc.perEndpointConcurrency, "perEndpointConcurrency", 1, 64),
    retry: schedule("retry"),
    localRetry: schedule("localRetry"),
  };
}

export async function loadWebhookConfig(configDir: string): Promise<WebhookConfig> {
  const file = join(configDir, "webhooks.yaml");
  return parseWebhookConfig(await readYaml(file), file);
}
