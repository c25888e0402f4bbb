// One call to a rail: each attempt under a timeout, transient refusals and
// timeouts retried (core/retry: exponential backoff, full jitter), a final refusal or
// exhausted retries reported as a failure with the last code.
import type { RailOutcome } from "../../core/rails";
import { type RetryPolicy, retrying } from "../../core/retry";

export type RailPolicy = RetryPolicy & { timeoutMs: number };

export type RailResult =
  | { status: "succeeded"; railReference: string; attempts: number }
  | { status: "failed"; code: string; attempts: number };

export const DEFAULT_RAIL_POLICY: RailPolicy = {
  maxAttempts: 3,
  timeoutMs: 2000,
  baseMs: 20,
  capMs: 500,
};

/** A refusal worth another attempt (a timeout or a transient rail code). */
class Transient extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Runs one rail call (`call`: execute, authorize, capture, void or refund) under the policy. */
export async function callRail(
  call: () => Promise<RailOutcome>,
  policy: RailPolicy = DEFAULT_RAIL_POLICY,
): Promise<RailResult> {
  try {
    return await retrying(
      async (attempt): Promise<RailResult> => {
        const outcome = await withTimeout(call(), policy.timeoutMs);
        if (outcome === "timeout") throw new Transient("rail_timeout");
        if (outcome.status === "succeeded") return { ...outcome, attempts: attempt };
        if (outcome.status === "failed") return { status: "failed", code: outcome.code, attempts: attempt };
        throw new Transient(outcome.code);
      },
      policy,
      { retryable: (error) => error instanceof Transient },
    );
  } catch (error) {
    if (!(error instanceof Transient)) throw error;
    return { status: "failed", code: error.code, attempts: policy.maxAttempts };
  }
}
