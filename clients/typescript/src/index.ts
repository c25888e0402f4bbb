// @payrail/client: the typed Payrail API client. Webhook verification (Node) is in
// "@payrail/client/webhooks".
export {
  createPayrailClient,
  type KeyOptional,
  type NewPayment,
  type Payment,
  PayrailClient,
  type PayrailClientOptions,
  type Refund,
  type TokenSource,
} from "./client.js";
export * from "./errors.js";
export * from "./generated/graphql.js";
export { backoffDelay, type RetryOptions, withRetry } from "./retry.js";
export { type PaymentProgress, TERMINAL_STATUSES, type WatchOptions } from "./watch.js";
