// The event that answers a RefundRequested. Its `status` is the payment's status once this
// refund succeeded, as far as the row shows: REFUNDED when it completes the captured
// amount and no other refund is still pending. (The status service decides the row's
// status from the refunds themselves, which also covers refunds answered meanwhile.)
//
// Two answers wait, and nothing is emitted for them yet: a refund a bank rail took but
// settles on its settlement day (PENDING at the rail), and one asked for while the payment
// was still EXECUTED, whose answer must follow the payment's SETTLED (so that the status
// service counts it towards REFUNDED). The refund stays PENDING on the payment row, and the
// sweeper (consumers/auth-sweeper/refunds) publishes its RefundRequested again once it is
// due; asked again with the same key, the rail answers for good.
import type { EventEnvelope } from "../../core/events";
import { followUpEvent } from "../../core/events/follow-up";
import { applyRefund, pendingRefundMinor, statusAfterRefunds } from "../../core/states";
import { refundLedger } from "../api/refund-ledger";
import type { PaymentRecord } from "../persistence/ports/payments";
import type { RequestLogger } from "../platform/observability";
import type { FollowUpResult, RefundResult } from "./handler";

function refundOutcome(
  requested: EventEnvelope<"RefundRequested">,
  payment: PaymentRecord,
  rail: string,
  result: FollowUpResult,
): EventEnvelope<"RefundSucceeded" | "RefundFailed"> {
  const { refundId, amountMinor, currency, reason } = requested.data;
  const refund = { refundId, amountMinor, currency, reason, rail };
  if (result.status === "failed") {
    return followUpEvent(requested, "RefundFailed", {
      ...refund,
      status: "SETTLED",
      code: result.code,
      attempts: 1,
    });
  }
  const after = applyRefund(refundLedger(payment), {
    refundId,
    amountMinor: BigInt(amountMinor),
    outcome: "succeeded",
  }).ledger;
  const status = pendingRefundMinor(after) === 0n ? statusAfterRefunds(after) : "SETTLED";
  return followUpEvent(requested, "RefundSucceeded", {
    ...refund,
    status,
    railReference: result.processorReference,
  });
}

/** The events answering a refund now: its outcome, or none while the answer waits (see above). */
export function refundAnswer(
  requested: EventEnvelope<"RefundRequested">,
  payment: PaymentRecord,
  rail: string,
  result: RefundResult,
  log: RequestLogger,
): EventEnvelope<"RefundSucceeded" | "RefundFailed">[] {
  const { refundId } = requested.data;
  if (result.status === "pending") {
    log.info("refund pending at the rail", { refundId, rail, settlesAt: result.settlesAt });
    return [];
  }
  if (payment.status === "EXECUTED") {
    log.info("refund answered before the payment settled; its answer follows SETTLED", {
      refundId,
      rail,
      outcome: result.status,
    });
    return [];
  }
  return [refundOutcome(requested, payment, rail, result)];
}
