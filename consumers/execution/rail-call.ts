// One payment through its rail: each attempt under a timeout, transient refusals and
// timeouts retried with exponential backoff, a final refusal or exhausted retries
// reported as a failure with the last code.
import type { RailAdapter, RailRequest } from "../../core/rails";

export type RailPolicy = { maxAttempts: number; timeoutMs: number; backoffMs(attempt: number): number };

export type RailResult =
  | { status: "succeeded"; railReference: string; attempts: number }
  | { status: "failed"; code: string; attempts: number };

export const DEFAULT_RAIL_POLICY: RailPolicy = {
  maxAttempts: 3,
  timeoutMs: 2000,
  backoffMs: (attempt) => 20 * 2 ** attempt,
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function callRail(
  adapter: RailAdapter,
  request: RailRequest,
  policy: RailPolicy = DEFAULT_RAIL_POLICY,
): Promise<RailResult> {
  let code = "rail_unavailable";
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    if (attempt > 1) await sleep(policy.backoffMs(attempt));
    const outcome = await withTimeout(adapter.execute(request), policy.timeoutMs);
    if (outcome === "timeout") {
      code = "rail_timeout";
      continue;
    }
    if (outcome.status === "succeeded") return { ...outcome, attempts: attempt };
    if (outcome.status === "failed") return { status: "failed", code: outcome.code, attempts: attempt };
    code = outcome.code;
  }
  return { status: "failed", code, attempts: policy.maxAttempts };
}
