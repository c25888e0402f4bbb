import type { PaymentStatus } from "../generated/graphql";

export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  "INITIATED",
  "RISK_APPROVED",
  "IN_REVIEW",
  "DECLINED",
  "AUTHORIZED",
  "EXECUTED",
  "FAILED",
  "SETTLED",
  "CANCELED",
  "REFUNDED",
];

/**
 * One-step edges of the payment state graph (docs/architecture.md). Two self-edges: a
 * capture request keeps the payment AUTHORIZED until the processor captured it, and a
 * failover (PaymentAttemptFailed, PaymentRouted) keeps it RISK_APPROVED.
 * SETTLED → REFUNDED once refunds sum to the captured amount (see ./refunds).
 */
export const NEXT_STATUSES: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  INITIATED: ["RISK_APPROVED", "IN_REVIEW", "DECLINED", "CANCELED"],
  IN_REVIEW: ["RISK_APPROVED", "DECLINED", "CANCELED"],
  RISK_APPROVED: ["RISK_APPROVED", "EXECUTED", "FAILED", "AUTHORIZED", "CANCELED"],
  AUTHORIZED: ["AUTHORIZED", "EXECUTED", "FAILED", "CANCELED"],
  EXECUTED: ["SETTLED"],
  SETTLED: ["REFUNDED"],
  DECLINED: [],
  FAILED: [],
  CANCELED: [],
  REFUNDED: [],
};

export const TERMINAL_STATUSES: readonly PaymentStatus[] = PAYMENT_STATUSES.filter(
  (status) => NEXT_STATUSES[status].length === 0,
);

/** Statuses cancelPayment accepts: nothing has reached the rail yet, or only a hold. */
export const CANCELABLE_STATUSES: readonly PaymentStatus[] = [
  "INITIATED",
  "RISK_APPROVED",
  "IN_REVIEW",
  "AUTHORIZED",
];

export function isTerminal(status: PaymentStatus): boolean {
  return NEXT_STATUSES[status].length === 0;
}

export function isPaymentStatus(value: unknown): value is PaymentStatus {
  return typeof value === "string" && (PAYMENT_STATUSES as readonly string[]).includes(value);
}

/** Statuses reachable from `from` in one or more steps (only AUTHORIZED's self-edge is a cycle). */
function reachableFrom(from: PaymentStatus): ReadonlySet<PaymentStatus> {
  const seen = new Set<PaymentStatus>();
  const pending = [...NEXT_STATUSES[from]];
  for (let status = pending.pop(); status !== undefined; status = pending.pop()) {
    if (seen.has(status)) continue;
    seen.add(status);
    pending.push(...NEXT_STATUSES[status]);
  }
  return seen;
}

const REACHABLE = new Map(PAYMENT_STATUSES.map((status) => [status, reachableFrom(status)]));

export function canReach(from: PaymentStatus, to: PaymentStatus): boolean {
  return REACHABLE.get(from)?.has(to) ?? false;
}
