// Port: writes the stores build, committed together or not at all (../dynamodb/transaction).
declare const built: unique symbol;

/** One write a store built for a transaction: opaque, only that store's adapter reads it. */
export type TransactionWrite = { readonly [built]: "TransactionWrite" };

/**
 * `committed`, or per write (in order) why it was cancelled: "ConditionalCheckFailed",
 * "TransactionConflict" (AWS: another transaction held the item), "None" (it was fine).
 */
export type TransactionOutcome = { committed: true } | { committed: false; reasons: string[] };

export type WriteTogether = (writes: readonly TransactionWrite[]) => Promise<TransactionOutcome>;

/** True when the write at `index` was refused by its condition (or lost a race for its item). */
export const lostAt = (outcome: TransactionOutcome, index: number): boolean =>
  !outcome.committed &&
  (outcome.reasons[index] === "ConditionalCheckFailed" || outcome.reasons[index] === "TransactionConflict");
