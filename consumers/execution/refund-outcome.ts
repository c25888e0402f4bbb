// The event that answers a RefundRequested. Its `status` is the payment's status once this
// refund succeeded, as far as the row shows: REFUNDED when it completes the captured
// amount and no other refund is still pending. (The status service decides the row's
// status from the refunds themselves, which also covers refunds answered meanwhile.)
import type { EventEnvelope } from "../../core/events";
import { followUpEvent } from "../../core/events/follow-up";
import { applyRefund, pendingRefundMinor, statusAfterRefunds } from "../../core/states";
import { refundLedger } from "../api/refund-ledger";
import type { PaymentRecord } from "../persistence/ports/payments";
import type { FollowUpResult } from "./handler";

export function refundOutcome(
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
