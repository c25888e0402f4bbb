// The one retry loop: up to `maxAttempts` tries, pausing before each retry for an
// exponential backoff with full jitter — a uniformly random wait in [0, min(cap, base·2^n)) —
// so that many callers failing together do not retry in lockstep.
export type Backoff = { baseMs: number; capMs: number };
export type RetryPolicy = Backoff & { maxAttempts: number };

export type RetryOptions = {
  /** Errors this returns false for are thrown at once; default: every error is retried. */
  retryable?: (error: unknown) => boolean;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The pause before retry number `retry` (1 for the first retry). */
export function backoffDelay(backoff: Backoff, retry: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(backoff.capMs, backoff.baseMs * 2 ** retry));
}

/** Runs `work` (given its attempt number, from 1) until it resolves; rethrows the last error. */
export async function retrying<T>(
  work: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  options: RetryOptions = {},
): Promise<T> {
  const { retryable = () => true, sleep = sleepFor, random = Math.random } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= policy.maxAttempts || !retryable(error)) throw error;
      await sleep(backoffDelay(policy, attempt, random));
    }
  }
}
