// The failover decision, driven to its end against arbitrary processor answers: never
// after a hard decline, never over the budget, never the same processor twice, and an
// answer-less attempt is resolved by status() before anything else is tried.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DeclineClass } from "../../../core/processors";
import { type Attempt, nextStep, type RoutePlan, resolvedAttempt } from "../../../core/routing";

const plan = (processors: string[], maxAttempts = 3, maxTotalMs = 10_000): RoutePlan => ({
  ruleId: "tenant:acme/test",
  processors,
  skipped: [],
  budget: { maxAttempts, maxTotalMs },
});

describe("failover decision", () => {
  it("tries the next processor after a soft decline, stops at a hard decline or an approval", () => {
    const p = plan(["a", "b", "c"]);
    expect(nextStep(p, [], 0)).toEqual({ kind: "call", processor: "a", attempt: 1, timeoutMs: 2000 });
    const soft: Attempt = { processor: "a", state: "SOFT_DECLINE", code: "do_not_honor", startedAtMs: 0 };
    expect(nextStep(p, [soft], 100)).toMatchObject({ kind: "call", processor: "b", attempt: 2 });
    const hard: Attempt = { processor: "b", state: "HARD_DECLINE", code: "card_declined", startedAtMs: 100 };
    expect(nextStep(p, [soft, hard], 200)).toEqual({
      kind: "done",
      outcome: "DECLINED",
      reason: "hard_decline",
      code: "card_declined",
    });
    const approved: Attempt = { processor: "b", state: "APPROVED", startedAtMs: 100 };
    expect(nextStep(p, [soft, approved], 200)).toEqual({
      kind: "done",
      outcome: "APPROVED",
      reason: "approved",
    });
  });

  it("resolves an answer-less attempt first; NOT_FOUND lets failover go on, APPROVED ends it", () => {
    const p = plan(["a", "b"]);
    const started: Attempt = { processor: "a", state: "STARTED", startedAtMs: 0 };
    expect(nextStep(p, [started], 50)).toEqual({ kind: "resolve", processor: "a", attempt: 1 });
    const unknown: Attempt = { processor: "a", state: "UNKNOWN", code: "timeout", startedAtMs: 0 };
    expect(nextStep(p, [unknown], 50)).toEqual({ kind: "resolve", processor: "a", attempt: 1 });
    const notFound = resolvedAttempt(unknown, { class: "NOT_FOUND" });
    expect(notFound).toMatchObject({ state: "SOFT_DECLINE", code: "timeout" });
    expect(nextStep(p, [notFound], 50)).toMatchObject({ kind: "call", processor: "b" });
    const found = resolvedAttempt(unknown, { class: "APPROVED", processorReference: "r", latencyMs: 1 });
    expect(nextStep(p, [found], 50)).toMatchObject({ kind: "done", outcome: "APPROVED" });
  });

  it("skips an open circuit while a healthy alternative exists, and tries it when none does", () => {
    const p = plan(["a", "b", "c"]);
    expect(nextStep(p, [], 0, (name) => name !== "a")).toMatchObject({ processor: "b" });
    expect(nextStep(p, [], 0, () => false)).toMatchObject({ processor: "a" });
  });

  it("never spends more than the time budget, and gives the call only what is left", () => {
    const p = plan(["a", "b", "c"], 3, 3000);
    const soft: Attempt = {
      processor: "a",
      state: "SOFT_DECLINE",
      code: "processing_error",
      startedAtMs: 1000,
    };
    expect(nextStep(p, [soft], 3500)).toMatchObject({ kind: "call", processor: "b", timeoutMs: 500 });
    expect(nextStep(p, [soft], 4000)).toMatchObject({ kind: "done", reason: "max_total_time" });
  });

  const answer = fc.constantFrom<DeclineClass>("APPROVED", "HARD_DECLINE", "SOFT_DECLINE", "UNKNOWN");
  const resolution = fc.constantFrom<"APPROVED" | "NOT_FOUND" | "HARD_DECLINE">(
    "APPROVED",
    "NOT_FOUND",
    "HARD_DECLINE",
  );

  it("property: driven to the end, the invariants hold for any answers, budget and health", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom<string>("a", "b", "c", "d", "e"), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 100, max: 5000 }),
        fc.array(fc.record({ answer, resolution, tookMs: fc.integer({ min: 0, max: 3000 }) }), {
          minLength: 12,
          maxLength: 12,
        }),
        fc.func(fc.boolean()),
        (processors, maxAttempts, maxTotalMs, answers, healthy) => {
          const p = plan(processors, maxAttempts, maxTotalMs);
          const attempts: Attempt[] = [];
          let now = 0;
          let resolvedBeforeNext = true;
          for (const { answer: cls, resolution: res, tookMs } of answers) {
            const step = nextStep(p, attempts, now, (name) => healthy(name));
            if (step.kind === "done") {
              if (attempts.some((a) => a.state === "HARD_DECLINE")) expect(step.reason).toBe("hard_decline");
              break;
            }
            if (step.kind === "resolve") {
              const last = attempts[attempts.length - 1] as Attempt;
              expect(last.state === "UNKNOWN" || last.state === "STARTED").toBe(true);
              attempts[attempts.length - 1] = resolvedAttempt(
                last,
                res === "NOT_FOUND"
                  ? { class: "NOT_FOUND" }
                  : res === "APPROVED"
                    ? { class: "APPROVED", processorReference: "r", latencyMs: 0 }
                    : { class: "HARD_DECLINE", code: "card_declined", processorCode: "x", latencyMs: 0 },
              );
              continue;
            }
            // A call: nothing before it may still be unresolved, declined hard or approved.
            for (const a of attempts) {
              if (
                a.state === "UNKNOWN" ||
                a.state === "STARTED" ||
                a.state === "HARD_DECLINE" ||
                a.state === "APPROVED"
              )
                resolvedBeforeNext = false;
            }
            expect(step.timeoutMs).toBeGreaterThan(0);
            const first = attempts[0];
            if (first) expect(now - first.startedAtMs).toBeLessThan(maxTotalMs);
            attempts.push({
              processor: step.processor,
              state: cls,
              code: cls === "APPROVED" ? undefined : "c",
              startedAtMs: now,
            });
            now += Math.min(tookMs, step.timeoutMs);
          }
          expect(resolvedBeforeNext).toBe(true);
          expect(attempts.length).toBeLessThanOrEqual(maxAttempts);
          expect(new Set(attempts.map((a) => a.processor)).size).toBe(attempts.length);
          expect(attempts.every((a) => processors.includes(a.processor))).toBe(true);
        },
      ),
    );
  });
});
