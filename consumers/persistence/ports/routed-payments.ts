// Port: a batch's payment rows with their attempts so far, for execution (../dynamodb/routed-payments).
import type { AttemptRecord } from "../../../core/routing";
import type { PaymentRecord } from "./payments";

export type RoutedPayment = {
  payment: PaymentRecord;
  /**
   * Its attempts in order; undefined when all `maxAttempts` keys were taken, as there may be
   * more (the budget was lowered since): the journal then lists them.
   */
  attempts?: AttemptRecord[];
};

export interface RoutedPayments {
  /** The found payments by id (an unknown id is absent), with up to `maxAttempts` attempts each. */
  read(paymentIds: readonly string[], maxAttempts: number): Promise<Map<string, RoutedPayment>>;
}
