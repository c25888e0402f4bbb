// Recording an event on its payment, as one transaction's writes: the event's history entry
// (conditional on its sequence being free: the first event stored for a sequence is kept),
// the answer of the processor attempt an outcome carries (on that attempt's item), and the
// row change (conditional on the row's sequence and status before it). The status service
// records most events so; the producers of RECORDED_AT_SOURCE record theirs in the write
// they make anyway, with these same builders, and the status service only tells subscribers.
import type { EventEnvelope, EventType } from "../../core/events";
import type { PaymentStatus } from "../../core/generated/graphql";
import { transition } from "../../core/states";
import type { AttemptLog } from "../persistence/ports/attempts";
import type { PaymentHistory } from "../persistence/ports/history";
import type { PaymentChange, PaymentRecord, PaymentRepository } from "../persistence/ports/payments";
import type { TransactionWrite } from "../persistence/ports/transaction";

/**
 * Written by their producer with the change that makes them: PaymentInitiated by initiation
 * (with the payment), PaymentRiskAssessed by risk (with its decision and velocity count).
 * Each with the status it always follows (null: none), so that a service that finds one
 * already on the row still tells its change as it was.
 */
export const RECORDED_AT_SOURCE: ReadonlyMap<EventType, PaymentStatus | null> = new Map([
  ["PaymentInitiated", null],
  ["PaymentRiskAssessed", "INITIATED"],
]);

export const isRecordedAtSource = (event: EventEnvelope): boolean => RECORDED_AT_SOURCE.has(event.type);

export type Change = Partial<PaymentRecord>;

/** The stores an event's record is written to. */
export type RecordStores = {
  payments: PaymentRepository<EventEnvelope>;
  history: PaymentHistory<EventEnvelope>;
  attempts: AttemptLog;
};

/** Why a payment stopped or paused, in words a partner can show; undefined on the happy path. */
export function reasonOf(event: EventEnvelope): string | undefined {
  switch (event.type) {
    case "PaymentRiskAssessed":
      return event.data.decision === "APPROVE" ? undefined : event.data.reasons.join(", ") || undefined;
    case "PaymentReviewed":
      return event.data.reason;
    case "PaymentFailed":
      return event.data.code;
    case "PaymentCanceled":
      return event.data.reason;
    case "RefundFailed":
      return event.data.code;
    case "PaymentAttemptFailed":
      return event.data.declineCode;
    default:
      return undefined;
  }
}

/** What applying `event` sets on the row (undefined values leave the row's as they are). */
export function changeOf(event: EventEnvelope): Change {
  const set: Change = {
    status: event.data.status,
    sequence: event.sequence,
    updatedAt: event.occurredAt,
    reason: reasonOf(event),
  };
  switch (event.type) {
    case "PaymentRiskAssessed": {
      const { decision, score, reasons } = event.data;
      set.risk = { decision, score, reasons };
      break;
    }
    case "PaymentAuthorized":
      set.processor = event.data.rail;
      set.railReference = event.data.railReference;
      set.authorizationExpiresAt = event.data.expiresAt;
      break;
    case "PaymentExecuted":
      set.processor = event.data.rail;
      set.railReference = event.data.railReference;
      break;
    case "PaymentCaptured":
      set.railReference = event.data.railReference;
      set.capturedMinor = event.data.amountMinor;
      break;
    case "PaymentSettled":
      // Refunds need SETTLED, so none exists yet: what is refundable starts at what was settled.
      set.capturedMinor = event.data.amountMinor;
      set.refundableMinor = Number(event.data.amountMinor);
      set.refunds = {};
      break;
    default:
      break;
  }
  return Object.fromEntries(Object.entries(set).filter(([, value]) => value !== undefined)) as Change;
}

/** The row initiation wrote with this event (every field status reads: status, sequence, amount). */
export function initiatedRow(event: EventEnvelope<"PaymentInitiated">): PaymentRecord {
  const { data } = event;
  return {
    paymentId: event.paymentId,
    tenantId: event.tenantId,
    status: data.status,
    paymentType: event.paymentType,
    amountMinor: data.amountMinor,
    currency: data.currency,
    payer: data.payer,
    ...(data.payee ? { payee: data.payee } : {}),
    ...(data.reference ? { reference: data.reference } : {}),
    ...(data.metadata ? { metadata: JSON.stringify(data.metadata) } : {}),
    idempotencyKey: data.idempotencyKey,
    correlationId: event.correlationId,
    sequence: event.sequence,
    createdAt: event.occurredAt,
    updatedAt: event.occurredAt,
  };
}

/** The event's history entry, then the answer of the attempt it carries (if any). */
export function entryWrites(stores: RecordStores, event: EventEnvelope): TransactionWrite[] {
  const writes = [stores.history.appendWrite(event)];
  if (
    (event.type === "PaymentExecuted" ||
      event.type === "PaymentAuthorized" ||
      event.type === "PaymentFailed") &&
    event.data.lastAttempt
  ) {
    const reference = event.type === "PaymentFailed" ? {} : { processorReference: event.data.railReference };
    writes.push(stores.attempts.answerWrite(event.paymentId, { ...event.data.lastAttempt, ...reference }));
  }
  return writes;
}

/** The row update for `set` on `row` as read or remembered: only while the row is still so. */
export function rowChange(
  row: PaymentRecord,
  set: Change,
  extra: Pick<PaymentChange<EventEnvelope>, "clearOutbox"> = {},
): PaymentChange<EventEnvelope> {
  return { expect: { sequence: row.sequence, status: row.status }, set, ...extra };
}

/**
 * The writes that record one event on `row` (as the status service would): an applicable
 * one's entry and the row change; a late one's entry alone (kept in the history only); none
 * for one whose sequence the row has passed as a duplicate. `state` is the row after them.
 */
export function recordWrites(
  stores: RecordStores,
  row: PaymentRecord,
  event: EventEnvelope,
  extra: Pick<PaymentChange<EventEnvelope>, "clearOutbox"> = {},
): { writes: TransactionWrite[]; state: PaymentRecord } {
  const result = transition(row, event);
  if (result.outcome === "applied") {
    const set = changeOf(event);
    return {
      writes: [
        ...entryWrites(stores, event),
        stores.payments.updateWrite(row.paymentId, rowChange(row, set, extra)),
      ],
      state: { ...row, ...set },
    };
  }
  if (result.outcome === "rejected" || result.reason === "stale")
    return { writes: entryWrites(stores, event), state: row };
  return { writes: [], state: row };
}
