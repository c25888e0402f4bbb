// Signed webhooks, the pure part: signature, retry schedule, subscriptions, body, URL rules.
export { webhookBody } from "./body";
export { loadWebhookConfig, parseWebhookConfig, type WebhookConfig } from "./config";
export { ALL_EVENT_TYPES, checkedEventTypes, subscribesTo } from "./event-types";
export { dueInOrder, type OrderingInput, type PendingDelivery } from "./ordering";
export { nextAttemptAt, type RetrySchedule, retryDelayMs } from "./retry-schedule";
export { newWebhookSecret, signatureHeader, signPayload, WEBHOOK_HEADERS } from "./signature";
export {
  checkedWebhookUrl,
  hostOf,
  isForbiddenAddress,
  isLoopbackAddress,
  type UrlPolicy,
} from "./url-policy";
