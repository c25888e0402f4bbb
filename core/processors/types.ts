// The contract every processor (connector) implements: the lifecycle operations a real
// processor offers, each idempotent by the caller's key and cancellable, and a status
// query that settles an attempt whose answer was lost.
import type { PartyData } from "../events";
import type { PaymentType } from "../generated/graphql";
import type { Money } from "../money";
import type { DeclineClass } from "./decline-codes";

export type ProcessorName = string;

/** What a processor needs to move money. Cards arrive as token + last4 + brand, never a number. */
export type ProcessorRequest = {
  tenantId: string;
  paymentId: string;
  correlationId: string;
  paymentType: PaymentType;
  amount: Money;
  payer: PartyData;
  payee: PartyData | null;
  reference: string | null;
  /** 1 for the first processor tried for this payment, 2 for the next, ... */
  attempt: number;
};

/** For capture, void and refund: the processor's reference of the authorization. */
export type FollowUpRequest = ProcessorRequest & { processorReference: string };

/** A refund also says when it was asked for: a bank rail settles it a settlement delay later. */
export type RefundRequest = FollowUpRequest & { requestedAt: string };

export type CallOptions = {
  /** The attempt id: the processor answers a repeated key with the first answer, never a second charge. */
  idempotencyKey: string;
  /** Aborted on timeout or shutdown; the call then settles UNKNOWN (it may have reached the processor). */
  signal: AbortSignal;
};

/**
 * The classified answer. `code` is Payrail's normalized decline code (decline-codes.ts),
 * `processorCode` the processor's own vocabulary, kept for support.
 */
export type ProcessorOutcome =
  | { class: "APPROVED"; processorReference: string; latencyMs: number }
  | {
      class: Exclude<DeclineClass, "APPROVED">;
      code: string;
      processorCode: string;
      latencyMs: number;
    };

/** A refund the rail took but settles later (bank rails): ask again with the same key at `settlesAt`. */
export type PendingRefund = {
  class: "PENDING";
  processorReference: string;
  settlesAt: string;
  latencyMs: number;
};

export type RefundOutcome = ProcessorOutcome | PendingRefund;

/** What the processor knows of an idempotency key: its answer, or that it never received it. */
export type ProcessorStatus = ProcessorOutcome | { class: "NOT_FOUND" };

export interface Processor {
  readonly name: ProcessorName;
  readonly paymentType: PaymentType;
  authorize(request: ProcessorRequest, options: CallOptions): Promise<ProcessorOutcome>;
  capture(request: FollowUpRequest, options: CallOptions): Promise<ProcessorOutcome>;
  void(request: FollowUpRequest, options: CallOptions): Promise<ProcessorOutcome>;
  refund(request: RefundRequest, options: CallOptions): Promise<RefundOutcome>;
  /** Authorize and capture in one call (account-to-account rails, and cards captured at once). */
  execute(request: ProcessorRequest, options: CallOptions): Promise<ProcessorOutcome>;
  /** Resolves an UNKNOWN outcome before anything else is tried. */
  status(idempotencyKey: string): Promise<ProcessorStatus>;
}
