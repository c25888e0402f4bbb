// Port: writes the stores build, committed together or not at all (../dynamodb/transaction).
import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";

export type TransactionWrite = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

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
