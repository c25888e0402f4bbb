// Port: execution's processor attempts as the API and the status service see them
// (implemented by ../dynamodb/attempt-journal).
import type { LastAttempt } from "../../../core/events";
import type { AttemptRecord } from "../../../core/routing";
import type { TransactionWrite } from "./transaction";

/** What the table holds beside the record: the payment and the rule that planned the attempt. */
export type AttemptItem = AttemptRecord & { paymentId: string; ruleId: string };

/** An outcome event's last attempt, with the processor's reference when it approved. */
export type AttemptAnswer = LastAttempt & { processorReference?: string };

export interface AttemptLog {
  /** A payment's attempts in order ([] when it has none, or is another tenant's). */
  list(paymentId: string): Promise<AttemptItem[]>;
  /**
   * Records the answer on the attempt's item (a write of a transaction: the outcome event's
   * record), only if the item exists, as it does from the attempt's start.
   */
  answerWrite(paymentId: string, answer: AttemptAnswer): TransactionWrite;
}

/** An item as the journal's callers see it: the record alone. */
export const attemptRecord = ({ paymentId: _p, ruleId: _r, ...record }: AttemptItem): AttemptRecord => record;
