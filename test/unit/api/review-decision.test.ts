import { describe, expect, it } from "vitest";
import { decideReview } from "../../../consumers/payments-api/review";
import type { PaymentRecord, ReviewRecord } from "../../../consumers/persistence/ports/payments";
import type { EventEnvelope } from "../../../core/events";

const NOW = 1_000_000;

const payment = (over: Partial<PaymentRecord> = {}): PaymentRecord => ({
  paymentId: "pay_1",
  tenantId: "acme",
  status: "IN_REVIEW",
  paymentType: "CARD",
  amountMinor: "1000",
  currency: "EUR",
  payer: { name: "Ada" } as PaymentRecord["payer"],
  idempotencyKey: "k",
  correlationId: "c",
  sequence: 2,
  createdAt: "2026-12-03T00:00:00.000Z",
  updatedAt: "2026-12-03T00:00:00.000Z",
  ...over,
});

const review = (over: Partial<ReviewRecord> = {}): ReviewRecord => ({
  decision: "APPROVE",
  reason: "checked",
  principal: "ops@acme",
  eventId: "evt_review",
  sequence: 3,
  at: "2026-12-03T00:01:00.000Z",
  publishingUntil: NOW + 5000,
  ...over,
});

const pending = [{ eventId: "evt_review" }] as EventEnvelope[];

describe("decideReview", () => {
  it("records a decision on an unreviewed IN_REVIEW payment", () => {
    expect(decideReview(payment(), [], "APPROVE", NOW)).toEqual({ kind: "record" });
  });

  it("refuses a payment whose cancellation was requested", () => {
    const cancellation = {
      eventId: "e",
      sequence: 3,
      principal: "tk",
      at: "2026-01-01T00:00:00Z",
      reason: "r",
    };
    const step = decideReview(payment({ cancellation }), [], "APPROVE", NOW);
    expect(step.kind === "reject" && step.error.message).toBe("the payment's cancellation was requested");
  });

  it("refuses a payment that is not IN_REVIEW", () => {
    const step = decideReview(payment({ status: "SETTLED" }), [], "DECLINE", NOW);
    expect(step.kind === "reject" && [step.error.errorType, step.error.message]).toEqual([
      "InvalidState",
      "payment is SETTLED, not IN_REVIEW",
    ]);
  });

  it("refuses the opposite of a recorded decision", () => {
    const step = decideReview(payment({ review: review() }), [], "DECLINE", NOW);
    expect(step.kind === "reject" && step.error.message).toBe("payment was already reviewed: APPROVE");
  });

  it("asks to retry while the writer of the same decision is still publishing", () => {
    const step = decideReview(payment({ review: review() }), pending, "APPROVE", NOW);
    expect(step.kind === "reject" && step.error.errorType).toBe("IdempotencyInProgress");
  });

  it("replays the same decision once its writer's window has passed, as the payment will be", () => {
    const step = decideReview(
      payment({ review: review({ publishingUntil: NOW - 1 }) }),
      pending,
      "APPROVE",
      NOW,
    );
    expect(step).toMatchObject({ kind: "replay", answer: { status: "RISK_APPROVED", sequence: 3 } });
  });

  it("replays the row itself once the status service applied the decision", () => {
    const applied = payment({ status: "SETTLED", sequence: 5, review: review() });
    expect(decideReview(applied, [], "APPROVE", NOW)).toEqual({ kind: "replay", answer: applied });
  });
});
