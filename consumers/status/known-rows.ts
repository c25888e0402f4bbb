// The rows the status service last wrote or derived, per warm handler, so that applying a
// payment's next event needs no read: the write is conditional on the row's sequence and
// status, so a row that moved meanwhile (another writer, a cold cache) fails the write and
// is read then. A PaymentInitiated gives the row as initiation wrote it, in the transaction
// that also stored this event's history entry; an event recorded at its source (risk's)
// gives the row as its producer wrote it.
import type { EventEnvelope } from "../../core/events";
import type { PaymentRecord } from "../persistence/ports/payments";
import { initiatedRow } from "../pipeline/payment-record";

export type KnownRow = { row: PaymentRecord };

/**
 * Enough for the payments in flight of a busy partition; the oldest entry goes first.
 * Terminal rows are kept too: a PaymentInitiated redelivered later then finds the payment
 * settled rather than deriving its first row again (and telling subscribers INITIATED).
 */
const CAPACITY = 10_000;

export function knownRows(capacity = CAPACITY) {
  const rows = new Map<string, KnownRow>();
  const waiting = new Map<string, Set<() => void>>();
  const key = (tenantId: string, paymentId: string) => `${tenantId}/${paymentId}`;
  return {
    /** Resolves once a newer row of the payment is remembered here, or after `ms`. */
    changed(tenantId: string, paymentId: string, ms: number): Promise<void> {
      const at = key(tenantId, paymentId);
      return new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          waiting.get(at)?.delete(wake);
          if (waiting.get(at)?.size === 0) waiting.delete(at);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        waiting.set(at, (waiting.get(at) ?? new Set()).add(wake));
      });
    },
    get: (tenantId: string, paymentId: string) => rows.get(key(tenantId, paymentId)),
    /** Remembers `known`, unless it is older than what is remembered. */
    set(known: KnownRow): void {
      const at = key(known.row.tenantId, known.row.paymentId);
      const current = rows.get(at);
      if (current && current.row.sequence > known.row.sequence) return;
      rows.delete(at);
      rows.set(at, known);
      if (rows.size > capacity) rows.delete(rows.keys().next().value as string);
      for (const wake of [...(waiting.get(at) ?? [])]) wake();
    },
    /** After a failed conditional write: the row is read again. */
    forget: (tenantId: string, paymentId: string) => rows.delete(key(tenantId, paymentId)),
    /** A PaymentInitiated seen: its row. */
    initiated(event: EventEnvelope<"PaymentInitiated">): void {
      if (rows.has(key(event.tenantId, event.paymentId))) return;
      this.set({ row: initiatedRow(event) });
    },
  };
}

export type KnownRows = ReturnType<typeof knownRows>;
