// Bounded retries with exponential backoff and full jitter, for the failures the API calls
// retryable (IdempotencyInProgress, InternalError) and for lost requests. The caller keeps
// the request identical across attempts, so a retried initiatePayment reuses its key.
import { type PayrailError, toPayrailError } from "./errors.js";

export type RetryOptions = {
  /** Attempts in all, the first included (default 5; 1 turns retries off). */
  attempts?: number;
  /** Delay cap of the first retry; doubles per retry (default 100 ms). */
  baseDelayMs?: number;
  /** Cap of any one delay (default 2,000 ms). */
  maxDelayMs?: number;
  /** Called before each retry, e.g. to log it. */
  onRetry?: (event: { error: PayrailError; attempt: number; delayMs: number }) => void | Promise<void>;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The delay before retry number `retry` (1-based): uniform in [0, min(max, base·2^(retry-1))]. */
export function backoffDelay(retry: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 100;
  const max = options.maxDelayMs ?? 2_000;
  const random = options.random ?? Math.random;
  return Math.floor(random() * Math.min(max, base * 2 ** (retry - 1)));
}

/** Runs `request` until it succeeds, fails with a non-retryable error, or runs out of attempts. */
export async function withRetry<T>(request: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 5);
  const sleep = options.sleep ?? sleepFor;
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (thrown) {
      const error = toPayrailError(thrown);
      if (!error.retryable || attempt >= attempts) throw error;
      const delayMs = backoffDelay(attempt, options);
      await options.onRetry?.({ error, attempt, delayMs });
      await sleep(delayMs);
    }
  }
}
