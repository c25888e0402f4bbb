// How one batch reaches a function, as Lambda's Kafka event source mapping does it:
// retry the whole batch with backoff; if it still fails, split it in two and deliver
// each half the same way (bisect-on-error), down to single records; a record that
// fails alone after its retries is a dead letter. Records that succeeded before a
// split may be delivered again, which is why every handler is idempotent.
import { type RetryPolicy, retrying } from "../../core/retry";

/** `maxAttempts`: invocations per (sub)batch before giving up or splitting; >= 1. */
export type DeliveryPolicy = RetryPolicy & { bisectOnError: boolean };

export type DeadLetter<R> = { records: R[]; error: unknown; attempts: number };

export type Invoke<R> = (records: R[]) => Promise<void>;

/** Delivers `records`; resolves with what could not be delivered (empty = all handled). */
export async function deliver<R>(
  records: R[],
  invoke: Invoke<R>,
  policy: DeliveryPolicy,
): Promise<DeadLetter<R>[]> {
  if (records.length === 0) return [];
  let lastError: unknown;
  try {
    await retrying(() => invoke(records), policy);
    return [];
  } catch (error) {
    lastError = error;
  }
  if (!policy.bisectOnError || records.length === 1) {
    return [{ records, error: lastError, attempts: policy.maxAttempts }];
  }
  const middle = Math.ceil(records.length / 2);
  const left = await deliver(records.slice(0, middle), invoke, policy);
  const right = await deliver(records.slice(middle), invoke, policy);
  return [...left, ...right];
}
