import type { PartyData } from "../events";
import type { PaymentType } from "../generated/graphql";
import type { Money } from "../money";
import type { RailName } from "./names";

/** What every call to a rail carries: whose payment, the trace, and a key that makes a retry harmless. */
export type RailCallBase = {
  tenantId: string;
  paymentId: string;
  correlationId: string;
  paymentType: PaymentType;
  /** The id of the event that asked for the call: the same request, the same key. */
  idempotencyKey: string;
  amount: Money;
  payer: PartyData;
};

/** What a rail needs to move (execute) or hold (authorize) money. Cards arrive as token + last4 + brand, never a number. */
export type RailRequest = RailCallBase & {
  payee: PartyData | null;
  reference: string | null;
};

/** capture / void / refund act on what execute or authorize did, named by its rail reference. */
export type RailFollowUpRequest = RailCallBase & { railReference: string };

export type RailRefundRequest = RailFollowUpRequest & { refundId: string };

/**
 * succeeded: the rail did it. failed: a final refusal (→ PaymentFailed / RefundFailed).
 * transient: try again later (the execution service retries, then fails with the code).
 */
export type RailOutcome =
  | { status: "succeeded"; railReference: string }
  | { status: "failed"; code: string }
  | { status: "transient"; code: string };

export interface RailAdapter {
  readonly name: RailName;
  /** Moves the money at once (AUTOMATIC capture). */
  execute(request: RailRequest): Promise<RailOutcome>;
  /** Holds the amount (MANUAL capture); the reference names the hold. */
  authorize(request: RailRequest): Promise<RailOutcome>;
  /** Takes `amount` (at most the held amount) of a hold and releases the rest. */
  capture(request: RailFollowUpRequest): Promise<RailOutcome>;
  /** Releases a hold without taking anything. */
  void(request: RailFollowUpRequest): Promise<RailOutcome>;
  /** Pays `amount` of an executed or captured payment back. */
  refund(request: RailRefundRequest): Promise<RailOutcome>;
}
