import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PaymentStatus } from "../../../core/generated/graphql";
import {
  canReach,
  NEXT_STATUSES,
  PAYMENT_STATUSES,
  type PaymentState,
  TERMINAL_STATUSES,
  transition,
} from "../../../core/states";

const event = (status: PaymentStatus, sequence: number) => ({ sequence, data: { status } });
const payment = (status: PaymentStatus, sequence: number) => ({ id: "p1", status, sequence });

describe("state graph", () => {
  it("has the terminal states CANCELED, DECLINED, FAILED, REFUNDED", () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(["CANCELED", "DECLINED", "FAILED", "REFUNDED"]);
  });

  it("reaches across gaps but never backwards", () => {
    expect(canReach("INITIATED", "SETTLED")).toBe(true);
    expect(canReach("IN_REVIEW", "EXECUTED")).toBe(true);
    expect(canReach("EXECUTED", "RISK_APPROVED")).toBe(false);
    expect(canReach("IN_REVIEW", "IN_REVIEW")).toBe(false);
    expect(canReach("DECLINED", "EXECUTED")).toBe(false);
  });
});

describe("transition", () => {
  it("applies each edge of the brief and keeps the payment's other fields", () => {
    const result = transition(payment("INITIATED", 1), event("IN_REVIEW", 2));
    expect(result).toEqual({
      outcome: "applied",
      payment: { id: "p1", status: "IN_REVIEW", sequence: 2 },
      previousStatus: "INITIATED",
    });
    for (const [from, targets] of Object.entries(NEXT_STATUSES) as [PaymentStatus, PaymentStatus[]][]) {
      for (const to of targets) expect(transition(payment(from, 3), event(to, 4)).outcome).toBe("applied");
    }
  });

  it("applies a later event across a gap (EXECUTED seen before RISK_APPROVED)", () => {
    const executed = transition(payment("INITIATED", 1), event("EXECUTED", 3));
    expect(executed).toMatchObject({ outcome: "applied", payment: { status: "EXECUTED", sequence: 3 } });
    const late = transition(executed.payment, event("RISK_APPROVED", 2));
    expect(late).toEqual({ outcome: "ignored", reason: "stale", payment: executed.payment });
  });

  it("ignores duplicates by sequence", () => {
    expect(transition(payment("RISK_APPROVED", 2), event("RISK_APPROVED", 2))).toMatchObject({
      outcome: "ignored",
      reason: "duplicate",
    });
  });

  it("rejects unreachable statuses and anything after a terminal state", () => {
    expect(transition(payment("EXECUTED", 3), event("FAILED", 4))).toMatchObject({
      outcome: "rejected",
      reason: "FAILED: not reachable from EXECUTED",
    });
    expect(transition(payment("DECLINED", 2), event("RISK_APPROVED", 3))).toMatchObject({
      outcome: "rejected",
      reason: "RISK_APPROVED: DECLINED is terminal",
      payment: { status: "DECLINED", sequence: 2 },
    });
  });

  it("does not mutate its input", () => {
    const before = payment("INITIATED", 1);
    transition(before, event("RISK_APPROVED", 2));
    expect(before).toEqual(payment("INITIATED", 1));
  });
});

describe("properties", () => {
  const anyEvent = fc.record({
    sequence: fc.integer({ min: 0, max: 12 }),
    data: fc.record({ status: fc.constantFrom(...PAYMENT_STATUSES) }),
  });

  it("from any event sequence, the payment only moves along the graph and its sequence never drops", () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 30 }), (events) => {
        let state: PaymentState = { status: "INITIATED", sequence: 1 };
        for (const e of events) {
          const result = transition(state, e);
          if (result.outcome === "applied") {
            expect(canReach(state.status, result.payment.status)).toBe(true);
            expect(result.payment.sequence).toBeGreaterThan(state.sequence);
          } else {
            expect(result.payment).toBe(state);
          }
          state = result.payment;
          expect(state.status === "INITIATED" || canReach("INITIATED", state.status)).toBe(true);
        }
      }),
    );
  });

  it("a valid causal chain ends in its last status whatever order it is delivered in, even twice", () => {
    const chains: PaymentStatus[][] = [
      ["RISK_APPROVED", "EXECUTED", "SETTLED"],
      ["IN_REVIEW", "RISK_APPROVED", "FAILED"],
      ["IN_REVIEW", "DECLINED"],
      ["RISK_APPROVED", "AUTHORIZED", "AUTHORIZED", "EXECUTED", "SETTLED"],
      ["RISK_APPROVED", "AUTHORIZED", "CANCELED"],
      ["IN_REVIEW", "CANCELED"],
    ];
    const delivery = fc.constantFrom(...chains).chain((chain) => {
      const events = chain.map((status, i) => event(status, i + 2));
      return fc.tuple(
        fc.constant(chain),
        fc.shuffledSubarray([...events, ...events], { minLength: events.length * 2 }),
      );
    });
    fc.assert(
      fc.property(delivery, ([chain, events]) => {
        let state: PaymentState = { status: "INITIATED", sequence: 1 };
        for (const e of events) state = transition(state, e).payment;
        expect(state).toEqual({ status: chain.at(-1), sequence: chain.length + 1 });
      }),
    );
  });
});
