// Port: the payment row and what changes it, with its outbox (../dynamodb/payments).
import type { PartyData } from "../../../core/events";
import type {
  CaptureMethod,
  PaymentStatus,
  PaymentType,
  RefundReason,
  RefundStatus,
  RiskDecision,
} from "../../../core/generated/graphql";
import type { Outbox, OutboxEvent } from "./outbox";
import type { TransactionWrite } from "./transaction";

/** A party as stored: exactly what events carry (card as vault token + last4/brand/expiry). */
export type StoredParty = PartyData;

export type RiskRecord = { decision: RiskDecision; score: number; reasons: string[] };

export type ReviewRecord = {
  decision: "APPROVE" | "DECLINE";
  reason: string;
  principal: string;
  /** The PaymentReviewed event this decision emitted. */
  eventId: string;
  sequence: number;
  at: string;
  /** Epoch ms until which the writer is publishing the event; others wait rather than publish it too. */
  publishingUntil: number;
};

/** One refund as the payment row keeps it (`refunds` map, keyed by refund id). */
export type RefundRecord = {
  refundId: string;
  amountMinor: string;
  currency: string;
  status: RefundStatus;
  reason: RefundReason;
  failureReason?: string;
  /** Sequence of its RefundRequested; its answer takes the next one. */
  sequence: number;
  /** Asked for while the payment was EXECUTED: its answer follows the payment's SETTLED. */
  beforeSettlement?: boolean;
  /** Its answer waits for the sweeper (a bank's settlement day, or beforeSettlement); counted in `refundsWaiting`. */
  waits?: boolean;
  /** When the sweeper last asked the rail again for its answer (consumers/auth-sweeper/refunds). */
  askedAt?: string;
  eventId: string;
  principal: string;
  createdAt: string;
  updatedAt: string;
};

/** An API action (capture, cancel) recorded on the row with the event it emitted. */
export type ActionRecord = {
  eventId: string;
  sequence: number;
  principal: string;
  at: string;
  /** capture: the amount asked for; cancel: the reason. */
  amountMinor?: string;
  reason?: string;
};

export type PaymentRecord = {
  paymentId: string;
  tenantId: string;
  status: PaymentStatus;
  paymentType: PaymentType;
  /** Integer minor units as a decimal string (bigint on the way in and out of core). */
  amountMinor: string;
  currency: string;
  payer: StoredParty;
  payee?: StoredParty;
  reference?: string;
  metadata?: string;
  idempotencyKey: string;
  correlationId: string;
  reason?: string;
  risk?: RiskRecord;
  review?: ReviewRecord;
  // --- payment lifecycle (issue #13) ---
  /** Absent means AUTOMATIC. */
  captureMethod?: CaptureMethod;
  /** The processor that won the payment (issue #14): capture, void and refunds go to it. */
  processor?: string;
  /** The rail's reference of the charge or hold, which capture, void and refunds name. */
  railReference?: string;
  authorizationExpiresAt?: string;
  /** What the rail charged (minor units): set on EXECUTED (the amount) or PaymentCaptured (the part). */
  capturedMinor?: string;
  /** Minor units still refundable, a number so that a refund is reserved by a conditional decrement. */
  refundableMinor?: number;
  /** The highest sequence handed out by the API for refund events (two per refund). */
  allocatedSequence?: number;
  refunds?: Record<string, RefundRecord>;
  /** How many of `refunds` wait for the sweeper, unanswered (RefundStore.listWaiting). */
  refundsWaiting?: number;
  capture?: ActionRecord;
  cancellation?: ActionRecord;
  sequence: number;
  createdAt: string;
  updatedAt: string;
};

export type PaymentFilter = {
  status?: PaymentStatus;
  paymentType?: PaymentType;
  createdAfter?: string;
  createdBefore?: string;
};

/** A page of payments; `cursor` (opaque) asks for the next one, absent on the last page. */
export type PaymentPage = { items: PaymentRecord[]; cursor?: string };

export type PaymentChange<E extends OutboxEvent> = {
  /** The write happens only while the row still has this sequence (and status, if given). */
  expect: {
    sequence: number;
    status?: PaymentStatus;
    notReviewed?: boolean;
    /** Actions that must not be recorded yet (a capture and a cancel exclude each other). */
    absent?: readonly ("capture" | "cancellation" | "review")[];
  };
  set: Partial<Omit<PaymentRecord, "paymentId" | "tenantId" | "createdAt">>;
  /** Events that leave with this change, through the outbox. */
  emit?: E[];
  /**
   * Drops the outbox if it is still at this version (or already empty): for a writer that
   * knows those events are in Kafka (it consumed an event caused by them). Not with `emit`.
   */
  clearOutbox?: { version: number };
};

export interface PaymentRepository<E extends OutboxEvent = OutboxEvent> extends Outbox<E> {
  /** Writes the payment with its events unless the id exists; false if it did. */
  create(payment: PaymentRecord, emit: E[]): Promise<boolean>;
  /** `create` as a write of a transaction. */
  createWrite(payment: PaymentRecord, emit: E[]): TransactionWrite;
  /** The row and its unpublished events (`outboxVersion` identifies that outbox state). */
  get(
    paymentId: string,
  ): Promise<{ payment: PaymentRecord; pendingEvents: E[]; outboxVersion: number } | undefined>;
  /**
   * Several rows at once, read consistently (BatchGetItem, 100 keys a call): the found
   * ones by id, each as `get` returns it; an unknown id is absent from the map.
   */
  getMany(
    paymentIds: readonly string[],
  ): Promise<Map<string, { payment: PaymentRecord; pendingEvents: E[]; outboxVersion: number }>>;
  /** Applies `change` if the row matches `change.expect`; false if it did not. */
  update(paymentId: string, change: PaymentChange<E>): Promise<boolean>;
  /** `update` as a write of a transaction. */
  updateWrite(paymentId: string, change: PaymentChange<E>): TransactionWrite;
  /** Newest first; `cursor` is a previous page's. */
  list(filter: PaymentFilter, limit: number, cursor?: string): Promise<PaymentPage>;
}

/** `outboxVersion` of a row created with events. */
export const CREATED_OUTBOX_VERSION = 1;
