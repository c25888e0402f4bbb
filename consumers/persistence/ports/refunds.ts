// Port: refunds reserved on and answered into the payment row (../dynamodb/refunds).
import type { OutboxEvent } from "./outbox";
import type { PaymentPage, RefundRecord } from "./payments";

export type RefundReservation<E extends OutboxEvent> = {
  refund: RefundRecord;
  /** The payment as read: SETTLED, or EXECUTED (then its sequence and what it captured too). */
  payment:
    | { status: "SETTLED"; hasRefunds: true }
    | { status: "EXECUTED"; sequence: number; capturedMinor: number; hasRefunds: boolean };
  /** The row's `allocatedSequence` as read (undefined: none yet); the write fails if it moved. */
  seenAllocated: number | undefined;
  /** The new `allocatedSequence`: the refund's answer's sequence. */
  allocated: number;
  emit: E[];
};

export type RefundAnswer = {
  refund: RefundRecord;
  /** Minor units given back to what is refundable (a failed refund's amount). */
  release: number;
  /** The payment becomes REFUNDED with this answer. */
  completes: boolean;
};

export interface RefundStore<E extends OutboxEvent = OutboxEvent> {
  /** false if the payment moved on from what was read, the amount is not refundable any more or another refund came first. */
  reserve(paymentId: string, reservation: RefundReservation<E>): Promise<boolean>;
  /** false if the refund is not PENDING (answered already). */
  answer(paymentId: string, answer: RefundAnswer): Promise<boolean>;
  /**
   * Claims asking the rail again for a PENDING refund (the sweeper's): records `at` unless
   * it was asked at or after `askedBefore`; false if it was, or the refund is answered.
   */
  claimAskAgain(paymentId: string, refundId: string, at: string, askedBefore: string): Promise<boolean>;
  /**
   * The rows listed as having a refund that waits for the sweeper (`reserve` lists a row with
   * such a refund; nothing else is read), oldest first, each row read consistently. A row
   * whose last waiting refund was answered since stays listed (`refundsWaiting` 0) until
   * `unlistIfNoneWaiting`.
   */
  listWaiting(limit: number, cursor?: string): Promise<PaymentPage>;
  /** Unlists the row unless one of its refunds waits (again): false if one does. */
  unlistIfNoneWaiting(paymentId: string): Promise<boolean>;
}
