import type { PaymentStatus } from "../generated/graphql";
import { canReach, isTerminal } from "./graph";

/** What the state machine needs of a payment: its status and the sequence of the event that set it. */
export type PaymentState = { readonly status: PaymentStatus; readonly sequence: number };

/** What it needs of an event: its per-payment sequence and the status it results in. */
export type StatusEvent = { readonly sequence: number; readonly data: { readonly status: PaymentStatus } };

export type TransitionResult<P extends PaymentState> =
  | { outcome: "applied"; payment: P; previousStatus: PaymentStatus }
  | { outcome: "ignored"; reason: "duplicate" | "stale"; payment: P }
  | { outcome: "rejected"; reason: string; payment: P };

/**
 * Applies `event` to `payment` without mutating it. Events at or below the payment's
 * sequence are ignored; a resulting status not reachable from the current one (in any
 * number of steps) is rejected, so a late event is recorded in the history but leaves
 * the payment unchanged. Reachability rather than one step, because the status service
 * reads four topics and may see EXECUTED before RISK_APPROVED.
 */
export function transition<P extends PaymentState>(payment: P, event: StatusEvent): TransitionResult<P> {
  const next = event.data.status;
  if (event.sequence === payment.sequence) return { outcome: "ignored", reason: "duplicate", payment };
  if (event.sequence < payment.sequence) return { outcome: "ignored", reason: "stale", payment };
  if (!canReach(payment.status, next)) {
    const why = isTerminal(payment.status)
      ? `${payment.status} is terminal`
      : `not reachable from ${payment.status}`;
    return { outcome: "rejected", reason: `${next}: ${why}`, payment };
  }
  return {
    outcome: "applied",
    payment: { ...payment, status: next, sequence: event.sequence },
    previousStatus: payment.status,
  };
}
