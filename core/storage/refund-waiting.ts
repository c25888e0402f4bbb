// Which payment rows the sparse index byRefundWaiting (PAYMENT_INDEX.refundWaiting) lists:
// those with a refund whose answer waits for the sweeper (`refundsWaiting` > 0). The refund
// store lists a row in the write that reserves such a refund; the local table rebuild
// (local/provisioning) and the AWS backfill (bin/refund-index-backfill.ts) list the rows
// written before the index existed, by this same rule.

/** The attribute that puts a row in byRefundWaiting, and its one value (the index's only partition). */
export const REFUND_WAITING_SHARD = { attribute: "refundWaitingShard", value: "waiting" } as const;

/** Whether a row whose `refundsWaiting` is this count belongs in byRefundWaiting. */
export function listsAsRefundWaiting(refundsWaiting: number | undefined): boolean {
  return (refundsWaiting ?? 0) > 0;
}

/**
 * The rule as a DynamoDB condition on a row not listed yet: a refund of it still waits and it
 * lacks the attribute (so a row the sweeper unlisted meanwhile, or one listed already, is left be).
 */
export const UNLISTED_WAITING_ROW = {
  expression: `refundsWaiting > :noneWaiting AND attribute_not_exists(${REFUND_WAITING_SHARD.attribute})`,
  values: { ":noneWaiting": 0 },
} as const;
