// Stored records as the GraphQL schema returns them: money back to a decimal string,
// parties without tokens or account numbers, events with `data` as AWSJSON (likewise).
import type { EventEnvelope, PartyData } from "../../core/events";
import { publicEventData } from "../../core/events/public-data";
import type { Party, Payment, PaymentEvent } from "../../core/generated/graphql";
import { formatMoney, moneyFromMinor } from "../../core/money";
import type { PaymentRecord } from "../persistence/payments";

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

export function paymentView(payment: PaymentRecord): Payment {
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
