import type { PartyData } from "../events";
import type { PaymentType } from "../generated/graphql";
import type { Money } from "../money";
import type { RailName } from "./names";

/** What a rail needs to move money. Cards arrive as token + last4 + brand, never a number. */
export type RailRequest = {
  tenantId: string;
  paymentId: string;
  correlationId: string;
  paymentType: PaymentType;
  amount: Money;
  payer: PartyData;
  payee: PartyData | null;
  reference: string | null;
};

/**
 * succeeded: the rail took the payment. failed: a final refusal (→ PaymentFailed).
 * transient: try again later (the execution service retries, then fails with the code).
 */
export type RailOutcome =
  | { status: "succeeded"; railReference: string }
  | { status: "failed"; code: string }
  | { status: "transient"; code: string };

export interface RailAdapter {
  readonly name: RailName;
  execute(request: RailRequest): Promise<RailOutcome>;
}
