import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyRefund,
  authorizationExpiry,
  CANCELABLE_STATUSES,
  canReach,
  captureAmount,
  isAuthorizationExpired,
  pendingRefundMinor,
  type RefundLedger,
  type RefundStep,
  refundableMinor,
  refundedMinor,
  statusAfterRefunds,
} from "../../../core/states";

const ledger = (capturedMinor: bigint): RefundLedger => ({ capturedMinor, refunds: {} });
const step = (refundId: string, amountMinor: bigint, outcome: RefundStep["outcome"]): RefundStep => ({
  refundId,
  amountMinor,
  outcome,
});

/** Applies steps in order, keeping only what was applied. */
function run(start: RefundLedger, steps: readonly RefundStep[]): RefundLedger {
  return steps.reduce((state, s) => applyRefund(state, s).ledger, start);
}

describe("lifecycle graph", () => {
  it("cancels only before the rail took the money, and refunds only after settlement", () => {
    for (const status of CANCELABLE_STATUSES) expect(canReach(status, "CANCELED")).toBe(true);
    expect(canReach("EXECUTED", "CANCELED")).toBe(false);
    expect(canReach("SETTLED", "REFUNDED")).toBe(true);
    expect(canReach("AUTHORIZED", "REFUNDED")).toBe(true);
    expect(canReach("CANCELED", "AUTHORIZED")).toBe(false);
  });
});

describe("capture", () => {
  it("takes the whole authorization by default and releases the rest of a partial one", () => {
    expect(captureAmount(1000n)).toEqual({ ok: true, capturedMinor: 1000n, releasedMinor: 0n });
    expect(captureAmount(1000n, 600n)).toEqual({ ok: true, capturedMinor: 600n, releasedMinor: 400n });
    expect(captureAmount(1000n, 1001n)).toEqual({ ok: false, problem: "exceeds_authorized" });
    expect(captureAmount(1000n, 0n)).toEqual({ ok: false, problem: "not_positive" });
  });

  it("expires an authorization at the end of its window", () => {
    const at = new Date("2026-01-01T00:00:00Z");
    const expires = authorizationExpiry(at, 168).toISOString();
    expect(expires).toBe("2026-01-08T00:00:00.000Z");
    expect(isAuthorizationExpired(expires, new Date("2026-01-07T23:59:59Z"))).toBe(false);
    expect(isAuthorizationExpired(expires, new Date("2026-01-08T00:00:00Z"))).toBe(true);
  });
});

describe("refund machine", () => {
  it("reserves, settles and frees refunds; REFUNDED only when the succeeded ones reach the captured amount", () => {
    let state = run(ledger(1000n), [step("a", 300n, "requested"), step("b", 200n, "requested")]);
    expect(refundableMinor(state)).toBe(500n);
    expect(applyRefund(state, step("c", 501n, "requested"))).toMatchObject({
      outcome: "rejected",
      reason: "amount exceeds the refundable 500 minor units",
    });
    state = run(state, [step("a", 300n, "succeeded"), step("b", 200n, "failed")]);
    expect([refundedMinor(state), pendingRefundMinor(state), refundableMinor(state)]).toEqual([
      300n,
      0n,
      700n,
    ]);
    expect(statusAfterRefunds(state)).toBe("SETTLED");
    state = run(state, [step("c", 700n, "requested"), step("c", 700n, "succeeded")]);
    expect(statusAfterRefunds(state)).toBe("REFUNDED");
    expect(refundableMinor(state)).toBe(0n);
  });

  it("ignores a repeated answer, a request after its answer and a second answer", () => {
    const done = run(ledger(1000n), [step("a", 300n, "requested"), step("a", 300n, "succeeded")]);
    expect(applyRefund(done, step("a", 300n, "succeeded"))).toMatchObject({
      outcome: "ignored",
      reason: "duplicate",
    });
    expect(applyRefund(done, step("a", 300n, "requested"))).toMatchObject({
      outcome: "ignored",
      reason: "stale",
    });
    expect(applyRefund(done, step("a", 300n, "failed"))).toMatchObject({
      outcome: "ignored",
      reason: "stale",
    });
    expect(applyRefund(done, step("a", 400n, "failed"))).toMatchObject({ outcome: "rejected" });
  });

  // A valid history: the API accepts requests in order against what is refundable, the
  // rail answers each accepted one; then the answers (and stale copies of the requests)
  // are delivered in any order, some twice.
  const history = fc
    .record({
      authorized: fc.bigInt({ min: 1n, max: 100_000n }),
      capturePart: fc.integer({ min: 1, max: 100 }),
      requests: fc.array(
        fc.record({ amount: fc.bigInt({ min: 1n, max: 40_000n }), succeeds: fc.boolean() }),
        {
          maxLength: 12,
        },
      ),
    })
    .map(({ authorized, capturePart, requests }) => {
      const captured = (authorized * BigInt(capturePart)) / 100n || 1n;
      let state = ledger(captured);
      const accepted: RefundStep[] = [];
      const answers: RefundStep[] = [];
      requests.forEach(({ amount, succeeds }, i) => {
        const request = step(`r${i}`, amount, "requested");
        const result = applyRefund(state, request);
        if (result.outcome !== "applied") return;
        accepted.push(request);
        const answer = step(`r${i}`, amount, succeeds ? "succeeded" : "failed");
        answers.push(answer);
        // The answer may come at once (it frees a failed refund's amount for later requests).
        state = applyRefund(result.ledger, answer).ledger;
      });
      return { authorized, captured, accepted, answers, final: state };
    });

  it("keeps refunded ≤ captured ≤ authorized at every step, whatever the order of delivery", () => {
    fc.assert(
      fc.property(
        history.chain((h) =>
          fc.tuple(
            fc.constant(h),
            fc.shuffledSubarray([...h.answers, ...h.answers, ...h.accepted], {
              minLength: h.answers.length * 2 + h.accepted.length,
            }),
          ),
        ),
        ([h, deliveries]) => {
          expect(h.captured <= h.authorized).toBe(true);
          let state = ledger(h.captured);
          for (const delivery of deliveries) {
            state = applyRefund(state, delivery).ledger;
            expect(refundedMinor(state) <= state.capturedMinor).toBe(true);
          }
          // Duplicates and out-of-order deliveries end where the ordered history ended.
          expect(state).toEqual(h.final);
          expect(refundedMinor(state) + pendingRefundMinor(state) <= h.captured).toBe(true);
        },
      ),
    );
  });

  it("never accepts requests summing to more than the captured amount", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000n }),
        fc.array(fc.bigInt({ min: -5n, max: 5_000n }), { maxLength: 30 }),
        (captured, amounts) => {
          const state = run(
            ledger(captured),
            amounts.map((amount, i) => step(`r${i}`, amount, "requested")),
          );
          expect(pendingRefundMinor(state) <= captured).toBe(true);
          expect(refundableMinor(state)).toBe(captured - pendingRefundMinor(state));
        },
      ),
    );
  });
});
