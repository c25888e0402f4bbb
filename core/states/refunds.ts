// The refund machine, beside the payment's: each refund PENDING → SUCCEEDED | FAILED, and
// the payment's ledger of them. The API reserves a refund's amount when it accepts it
// (`requested`, checked against what is still refundable); the rail's answer settles it.
// Answers are applied whatever order they arrive in, and a repeated one changes nothing.
import type { RefundStatus } from "../generated/graphql";

export type RefundEntry = { readonly status: RefundStatus; readonly amountMinor: bigint };

/** What the refund machine needs of a payment: what was captured and its refunds by id. */
export type RefundLedger = {
  readonly capturedMinor: bigint;
  readonly refunds: Readonly<Record<string, RefundEntry>>;
};

export type RefundStep = {
  readonly refundId: string;
  readonly amountMinor: bigint;
  /** requested: the API accepted it; succeeded / failed: the rail's answer. */
  readonly outcome: "requested" | "succeeded" | "failed";
};

export type RefundResult =
  | { outcome: "applied"; ledger: RefundLedger; previous?: RefundStatus; status: RefundStatus }
  | { outcome: "ignored"; reason: "duplicate" | "stale"; ledger: RefundLedger }
  | { outcome: "rejected"; reason: string; ledger: RefundLedger };

export const REFUND_NEXT: Readonly<Record<RefundStatus, readonly RefundStatus[]>> = {
  PENDING: ["SUCCEEDED", "FAILED"],
  SUCCEEDED: [],
  FAILED: [],
};

const STATUS_OF: Record<RefundStep["outcome"], RefundStatus> = {
  requested: "PENDING",
  succeeded: "SUCCEEDED",
  failed: "FAILED",
};

function sumOf(ledger: RefundLedger, status: RefundStatus): bigint {
  let sum = 0n;
  for (const refund of Object.values(ledger.refunds)) if (refund.status === status) sum += refund.amountMinor;
  return sum;
}

export const refundedMinor = (ledger: RefundLedger): bigint => sumOf(ledger, "SUCCEEDED");
export const pendingRefundMinor = (ledger: RefundLedger): bigint => sumOf(ledger, "PENDING");

/** What a new refund may still take: captured less succeeded and pending refunds. */
export function refundableMinor(ledger: RefundLedger): bigint {
  const rest = ledger.capturedMinor - refundedMinor(ledger) - pendingRefundMinor(ledger);
  return rest > 0n ? rest : 0n;
}

/** A settled payment is REFUNDED once its succeeded refunds reach the captured amount. */
export function statusAfterRefunds(ledger: RefundLedger): "SETTLED" | "REFUNDED" {
  return ledger.capturedMinor > 0n && refundedMinor(ledger) >= ledger.capturedMinor ? "REFUNDED" : "SETTLED";
}

/**
 * Applies one refund step without mutating the ledger. A request must fit in what is
 * refundable; an answer for a refund not seen yet is taken as it comes (its request was
 * accepted upstream), so a request arriving after its answer is stale, and a final
 * refund never changes again.
 */
export function applyRefund(ledger: RefundLedger, step: RefundStep): RefundResult {
  const next = STATUS_OF[step.outcome];
  const existing = ledger.refunds[step.refundId];
  if (step.amountMinor <= 0n) return { outcome: "rejected", reason: "amount must be positive", ledger };
  if (existing) {
    if (existing.amountMinor !== step.amountMinor)
      return { outcome: "rejected", reason: `refund ${step.refundId} has another amount`, ledger };
    if (existing.status === next) return { outcome: "ignored", reason: "duplicate", ledger };
    if (!REFUND_NEXT[existing.status].includes(next)) return { outcome: "ignored", reason: "stale", ledger };
  } else if (next === "PENDING" && step.amountMinor > refundableMinor(ledger)) {
    return {
      outcome: "rejected",
      reason: `amount exceeds the refundable ${refundableMinor(ledger)} minor units`,
      ledger,
    };
  }
  const refunds = { ...ledger.refunds, [step.refundId]: { status: next, amountMinor: step.amountMinor } };
  return {
    outcome: "applied",
    ledger: { ...ledger, refunds },
    ...(existing ? { previous: existing.status } : {}),
    status: next,
  };
}
