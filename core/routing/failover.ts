// The failover decision: given the plan and the attempts so far, what to do next. Pure, so
// the invariants are property-tested: never after a hard decline, never over the budget,
// never the same processor twice, and an attempt without a known answer is resolved by
// status() before anything else is tried (it may have moved the money).
import type { DeclineClass } from "../processors/decline-codes";
import type { ProcessorStatus } from "../processors/types";
import type { RoutePlan } from "./types";

export type AttemptState = DeclineClass | "STARTED";

/** An attempt as the attempt record holds it. STARTED: marked before the call, no answer recorded. */
export type Attempt = { processor: string; state: AttemptState; code?: string; startedAtMs: number };

export type NextStep =
  | { kind: "call"; processor: string; attempt: number; timeoutMs: number }
  | { kind: "resolve"; processor: string; attempt: number }
  | {
      kind: "done";
      outcome: "APPROVED" | "DECLINED";
      reason: "approved" | "hard_decline" | "max_attempts" | "max_total_time" | "exhausted" | "no_processor";
      code?: string;
    };

export function nextStep(
  plan: RoutePlan,
  attempts: readonly Attempt[],
  nowMs: number,
  /** The breaker's view: false while a processor's circuit is open. */
  available: (processor: string) => boolean = () => true,
  perCallTimeoutMs = 2_000,
): NextStep {
  const last = attempts[attempts.length - 1];
  if (last && (last.state === "STARTED" || last.state === "UNKNOWN"))
    return { kind: "resolve", processor: last.processor, attempt: attempts.length };
  if (last?.state === "APPROVED") return { kind: "done", outcome: "APPROVED", reason: "approved" };
  const declined = (reason: Extract<NextStep, { kind: "done" }>["reason"]): NextStep => ({
    kind: "done",
    outcome: "DECLINED",
    reason,
    ...(last?.code ? { code: last.code } : {}),
  });
  if (last?.state === "HARD_DECLINE") return declined("hard_decline");
  if (plan.processors.length === 0) return declined("no_processor");
  if (attempts.length >= plan.budget.maxAttempts) return declined("max_attempts");
  const first = attempts[0];
  const left = first ? plan.budget.maxTotalMs - (nowMs - first.startedAtMs) : plan.budget.maxTotalMs;
  if (left <= 0) return declined("max_total_time");
  const tried = new Set(attempts.map((a) => a.processor));
  const untried = plan.processors.filter((p) => !tried.has(p));
  // An open circuit is skipped while a healthy alternative exists; with none, it is tried anyway.
  const processor = untried.find(available) ?? untried[0];
  if (!processor) return declined("exhausted");
  return {
    kind: "call",
    processor,
    attempt: attempts.length + 1,
    timeoutMs: Math.min(perCallTimeoutMs, left),
  };
}

/** An UNKNOWN or STARTED attempt once status() answered: NOT_FOUND means it never reached the processor. */
export function resolvedAttempt(attempt: Attempt, status: ProcessorStatus): Attempt {
  if (status.class === "NOT_FOUND")
    return { ...attempt, state: "SOFT_DECLINE", code: attempt.code ?? "timeout" };
  if (status.class === "APPROVED") return { ...attempt, state: "APPROVED" };
  return { ...attempt, state: status.class, code: status.code };
}
