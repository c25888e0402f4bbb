// Port: a payment's event history, each event once per sequence (../dynamodb/history).
import type { OutboxEvent } from "./outbox";
import type { TransactionWrite } from "./transaction";

export interface PaymentHistory<E extends OutboxEvent = OutboxEvent> {
  /** Stores the event unless its (paymentId, sequence) is taken; false if it was. */
  append(event: E): Promise<boolean>;
  /** `append` as a write of a transaction (cancelled if the sequence is taken). */
  appendWrite(event: E): TransactionWrite;
  /**
   * `append` for each event, side by side. Each put stays conditional (so no
   * BatchWriteItem): a redelivered cause yields an event with the same (paymentId,
   * sequence) but not always the same content (a new occurredAt, another rail answer), and
   * the first one stored is the one the row applied.
   */
  appendAll(events: readonly E[]): Promise<void>;
  /** The payment's events in sequence order; empty for an unknown payment. */
  list(paymentId: string): Promise<E[]>;
}
