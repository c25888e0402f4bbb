// The subscription message for one applied event: what onPaymentUpdated subscribers see.
import type { EventEnvelope } from "../../core/events";
import type { PaymentStatus, PaymentUpdateInput } from "../../core/generated/graphql";
import { formatMoney, moneyFromMinor } from "../../core/money";
import type { PaymentRecord, RefundRecord } from "../persistence/ports/payments";
import { reasonOf } from "../pipeline/payment-record";

export function paymentUpdate(
  payment: PaymentRecord,
  event: EventEnvelope,
  previousStatus: PaymentStatus | undefined,
): PaymentUpdateInput {
  return {
    tenantId: event.tenantId,
    paymentId: event.paymentId,
    status: event.data.status,
    previousStatus: previousStatus ?? null,
    paymentType: event.paymentType,
    amount: formatMoney(moneyFromMinor(payment.amountMinor, payment.currency)),
    currency: payment.currency,
    sequence: event.sequence,
    eventType: event.type,
    reason: reasonOf(event) ?? null,
    correlationId: event.correlationId,
    occurredAt: event.occurredAt,
    amountCaptured:
      event.type === "PaymentCaptured"
        ? formatMoney(moneyFromMinor(event.data.amountMinor, payment.currency))
        : null,
  };
}

/** A refund's change: the payment's status as the row now has it, plus the refund itself. */
export function refundUpdate(
  payment: PaymentRecord,
  event: EventEnvelope<"RefundRequested" | "RefundSucceeded" | "RefundFailed">,
  refund: RefundRecord,
  previousStatus: PaymentStatus | undefined,
): PaymentUpdateInput {
  return {
    ...paymentUpdate(payment, event, previousStatus),
    status: payment.status,
    refundId: refund.refundId,
    refundStatus: refund.status,
    amountRefunded: formatMoney(moneyFromMinor(refund.amountMinor, refund.currency)),
  };
}
