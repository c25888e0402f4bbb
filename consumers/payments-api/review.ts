// approvePayment / declinePayment: a reviewer with `payments:review` decides a payment
// that risk sent to IN_REVIEW. `decideReview` is the pure decision; `review` does the I/O. The decision and its PaymentReviewed event are written to
// the row in one conditional write (status IN_REVIEW, same sequence, not yet reviewed),
// published, and answered as the payment will be once the event is applied. Repeating
// the same decision answers the same and publishes nothing new (only what is pending).
import { PayrailError, validationError } from "../../core/errors";
import { createEvent, type EventEnvelope } from "../../core/events";
import { containsCardNumber } from "../../core/payment-methods";
import type { ApiContext } from "../api/context";
import { type ApiRequest, type ApiResponse, requireAccess } from "../api/contract";
import { paymentView } from "../api/view";
import { SCOPES } from "../persistence/ports/control-plane";
import { flushPending } from "../persistence/ports/outbox";
import type { PaymentRecord, ReviewRecord } from "../persistence/ports/payments";
import { requestLogger, traced } from "../platform/observability";

type Decision = ReviewRecord["decision"];

const notFound = () => new PayrailError("NotFound", "no such payment");

function reasonArgument(request: ApiRequest): string {
  const reason = request.arguments.reason;
  if (typeof reason !== "string" || reason.trim().length === 0 || reason.length > 500) {
    throw validationError("reason", "must be 1-500 characters");
  }
  if (containsCardNumber(reason)) throw validationError("reason", "must not contain a card number");
  return reason.trim();
}

/** The payment as it is once the review event is applied. */
function reviewed(payment: PaymentRecord, review: ReviewRecord): PaymentRecord {
  return {
    ...payment,
    status: review.decision === "APPROVE" ? "RISK_APPROVED" : "DECLINED",
    sequence: review.sequence,
    reason: review.decision === "DECLINE" ? review.reason : payment.reason,
    updatedAt: review.at,
  };
}

/** What to do with a review request, decided from the payment row alone (no I/O). */
export type ReviewStep =
  | { kind: "reject"; error: PayrailError }
  /** The same decision is recorded: publish what its writer left, answer `answer`. */
  | { kind: "replay"; answer: PaymentRecord }
  /** IN_REVIEW and not yet reviewed: write the decision and its event. */
  | { kind: "record" };

export function decideReview(
  payment: PaymentRecord,
  pendingEvents: readonly EventEnvelope[],
  decision: Decision,
  nowMs: number,
): ReviewStep {
  const earlier = payment.review;
  if (earlier) {
    if (earlier.decision !== decision) {
      return {
        kind: "reject",
        error: new PayrailError("InvalidState", `payment was already reviewed: ${earlier.decision}`),
      };
    }
    const unpublished = pendingEvents.some((event) => event.eventId === earlier.eventId);
    if (unpublished && earlier.publishingUntil > nowMs) {
      return {
        kind: "reject",
        error: new PayrailError("IdempotencyInProgress", "the same review is being recorded; retry shortly"),
      };
    }
    // Once the status service applied the decision, the row itself is the answer.
    return {
      kind: "replay",
      answer: payment.sequence >= earlier.sequence ? payment : reviewed(payment, earlier),
    };
  }
  if (payment.cancellation) {
    return {
      kind: "reject",
      error: new PayrailError("InvalidState", "the payment's cancellation was requested"),
    };
  }
  if (payment.status !== "IN_REVIEW") {
    return {
      kind: "reject",
      error: new PayrailError("InvalidState", `payment is ${payment.status}, not IN_REVIEW`),
    };
  }
  return { kind: "record" };
}

const MAX_RACES = 3;

export async function review(ctx: ApiContext, request: ApiRequest, decision: Decision): Promise<ApiResponse> {
  requireAccess(request, SCOPES.review);
  const paymentId = request.arguments.id;
  if (typeof paymentId !== "string" || paymentId.length === 0 || paymentId.length > 64) throw notFound();
  const reason = reasonArgument(request);
  const stores = ctx.stores.forTenant(request.tenantId);

  // Bounded: each lost race means another reviewer's write landed, which the next read sees.
  for (let race = 0; race < MAX_RACES; race++) {
    const found = await stores.payments.get(paymentId);
    if (!found) throw notFound();
    const { payment, pendingEvents } = found;
    const step = decideReview(payment, pendingEvents, decision, ctx.now().getTime());
    if (step.kind === "reject") throw step.error;
    if (step.kind === "replay") {
      // The writer finished, or gave up (failed or crashed): publish what it left.
      await traced(ctx.tracer, "kafka.publish", () =>
        flushPending(stores.payments, ctx.publisher, {
          paymentId,
          events: pendingEvents,
          version: found.outboxVersion,
        }),
      );
      return { data: paymentView(step.answer) };
    }
    const cause = (await stores.history.list(paymentId)).find((event) => event.sequence === payment.sequence);
    if (!cause) throw new Error(`history of ${paymentId} lacks sequence ${payment.sequence}`);
    const event = createEvent(
      {
        type: "PaymentReviewed",
        cause,
        data: {
          status: decision === "APPROVE" ? "RISK_APPROVED" : "DECLINED",
          decision,
          reviewer: request.principal,
          reason,
        },
      },
      { now: ctx.now() },
    );
    const record: ReviewRecord = {
      decision,
      reason,
      principal: request.principal,
      eventId: event.eventId,
      sequence: event.sequence,
      at: event.occurredAt,
      publishingUntil: ctx.now().getTime() + ctx.inProgressMs,
    };
    const written = await stores.payments.update(paymentId, {
      // A cancel of the payment in review excludes a decision, and the other way round.
      expect: {
        sequence: payment.sequence,
        status: "IN_REVIEW",
        notReviewed: true,
        absent: ["cancellation"],
      },
      set: { review: record },
      emit: [event as EventEnvelope],
    });
    if (!written) continue;
    try {
      await traced(ctx.tracer, "kafka.publish", () =>
        flushPending(stores.payments, ctx.publisher, { paymentId, events: [event] }),
      );
    } catch (error) {
      // Hand the pending event to the next attempt at once (best effort; a crash waits out the window).
      await stores.payments
        .update(paymentId, {
          expect: { sequence: payment.sequence },
          set: { review: { ...record, publishingUntil: 0 } },
        })
        .catch(() => false);
      throw error;
    }
    // Logged under the payment's correlation id, like every other line of its flow.
    requestLogger(ctx.logger, {
      tenantId: request.tenantId,
      correlationId: payment.correlationId,
      paymentId,
    }).info("payment reviewed", {
      decision,
      principal: request.principal,
      requestCorrelationId: request.correlationId,
    });
    return { data: paymentView(reviewed(payment, record)) };
  }
  throw new PayrailError("IdempotencyInProgress", "the payment is changing; retry");
}
