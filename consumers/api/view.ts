// Stored records as the GraphQL schema returns them: money back to a decimal string,
// parties without tokens or account numbers, events with `data` as AWSJSON (likewise).
import type { EventEnvelope, PartyData } from "../../core/events";
import { publicEventData } from "../../core/events/public-data";
import type { Party, Payment, PaymentEvent, Refund } from "../../core/generated/graphql";
import { formatMoney, moneyFromMinor } from "../../core/money";
import { refundableMinor, refundedMinor } from "../../core/states";
import type { PaymentRecord, RefundRecord } from "../persistence/ports/payments";
import { refundLedger } from "./refund-ledger";

function partyView(party: PartyData): Party {
  return {
    name: party.name,
    country: party.country ?? null,
    maskedAccount: party.maskedAccount ?? null,
    cardBrand: party.cardBrand ?? null,
    cardLast4: party.cardLast4 ?? null,
    cardExpiry: party.cardExpiry ?? null,
  };
}

export function refundView(paymentId: string, refund: RefundRecord): Refund {
  return {
    id: refund.refundId,
    paymentId,
    status: refund.status,
    amount: formatMoney(moneyFromMinor(refund.amountMinor, refund.currency)),
    currency: refund.currency,
    reason: refund.reason,
    failureReason: refund.failureReason ?? null,
    createdAt: refund.createdAt,
    updatedAt: refund.updatedAt,
  };
}

/** Payment.attempts has a resolver of its own (consumers/payments-api/attempts.ts). */
export function paymentView(payment: PaymentRecord): Omit<Payment, "attempts"> {
  const money = (minor: bigint) => formatMoney(moneyFromMinor(minor, payment.currency));
  const ledger = refundLedger(payment);
  return {
    id: payment.paymentId,
    status: payment.status,
    paymentType: payment.paymentType,
    amount: formatMoney(moneyFromMinor(payment.amountMinor, payment.currency)),
    currency: payment.currency,
    payer: partyView(payment.payer),
    payee: payment.payee ? partyView(payment.payee) : null,
    reference: payment.reference ?? null,
    metadata: payment.metadata ?? null,
    idempotencyKey: payment.idempotencyKey,
    correlationId: payment.correlationId,
    reason: payment.reason ?? null,
    risk: payment.risk ?? null,
    sequence: payment.sequence,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
    captureMethod: payment.captureMethod ?? "AUTOMATIC",
    authorizationExpiresAt: payment.authorizationExpiresAt ?? null,
    capturedAmount: money(ledger.capturedMinor),
    refundedAmount: money(refundedMinor(ledger)),
    amountRefundable: money(refundableMinor(ledger)),
    processor: payment.processor ?? null,
    refunds: Object.values(payment.refunds ?? {})
      .sort((a, b) => a.sequence - b.sequence)
      .map((refund) => refundView(payment.paymentId, refund)),
  };
}

export function eventView(event: EventEnvelope): PaymentEvent {
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    sequence: event.sequence,
    status: event.data.status,
    correlationId: event.correlationId,
    causationId: event.causationId,
    occurredAt: event.occurredAt,
    data: JSON.stringify(publicEventData(event.data)),
  };
}
