// Port: the risk service's velocity windows and first-wins decisions (../dynamodb/risk).
import type { TransactionWrite } from "./transaction";

export type StoredDecision = { decision: "APPROVE" | "REVIEW" | "DECLINE"; score: number; reasons: string[] };

export type VelocityInput = { payer: string; paymentId: string; atMs: number; windowSeconds: number };

export type RiskStore = {
  /**
   * Counts the payment in its payer's window and stores `decide(count)` as its decision;
   * on a repeat, the decision stored first is returned (and nothing is counted again).
   */
  assessOnce(
    input: VelocityInput,
    decide: (velocityCount: number) => StoredDecision,
    alsoWrite?: AlsoWrite,
  ): Promise<StoredDecision>;
};

/**
 * Writes committed with a new decision, made for it; `refused` when the ones it gave last
 * time were refused by their conditions (what they were built on moved: read it again).
 */
export type AlsoWrite = (decision: StoredDecision, refused: boolean) => Promise<TransactionWrite[]>;
