// The tenant's risk table (`<env>-<tenant>-risk`, key `counterKey`): velocity counters per
// payer and time window, and each payment's decision once made. Both writes are
// idempotent, so a redelivered PaymentInitiated neither counts twice nor gets a second,
// possibly different, decision.
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { TTL_ATTRIBUTE } from "../../core/storage/tables";
import { conditionally, isConditionFailure } from "../persistence/conditional";

export type StoredDecision = { decision: "APPROVE" | "REVIEW" | "DECLINE"; score: number; reasons: string[] };

export type RiskStore = {
  /** Counts `paymentId` for `payer` in the window holding `atMs`; returns the window's count. */
  countPayment(payer: string, paymentId: string, atMs: number, windowSeconds: number): Promise<number>;
  /** Keeps the first decision made for the payment and returns it (the stored one on a repeat). */
  recordDecision(paymentId: string, decision: StoredDecision): Promise<StoredDecision>;
};

export function dynamoDbRiskStore(client: DynamoDBDocumentClient, tableName: string): RiskStore {
  const decisionKey = (paymentId: string) => ({ counterKey: `decision#${paymentId}` });
  const decisionOf = async (paymentId: string) => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: decisionKey(paymentId), ConsistentRead: true }),
    );
    return Item
      ? ({ decision: Item.decision, score: Item.score, reasons: Item.reasons } as StoredDecision)
      : undefined;
  };

  return {
    async countPayment(payer, paymentId, atMs, windowSeconds) {
      const windowMs = windowSeconds * 1000;
      const windowStart = Math.floor(atMs / windowMs) * windowMs;
      const Key = { counterKey: `velocity#${payer}#${windowStart}` };
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key,
            UpdateExpression: "ADD payments :id SET #ttl = :ttl",
            ConditionExpression: "attribute_not_exists(payments) OR NOT contains(payments, :paymentId)",
            ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
            ExpressionAttributeValues: {
              ":id": new Set([paymentId]),
              ":paymentId": paymentId,
              ":ttl": Math.ceil((windowStart + 2 * windowMs) / 1000),
            },
            ReturnValues: "ALL_NEW",
          }),
        );
        return (Attributes?.payments as Set<string> | undefined)?.size ?? 1;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // Already counted (a redelivery): report the window as it stands.
        const { Item } = await client.send(
          new GetCommand({ TableName: tableName, Key, ConsistentRead: true }),
        );
        return (Item?.payments as Set<string> | undefined)?.size ?? 1;
      }
    },

    async recordDecision(paymentId, decision) {
      const written = await conditionally(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...decisionKey(paymentId), ...decision },
            ConditionExpression: "attribute_not_exists(counterKey)",
          }),
        ),
      );
      return written ? decision : ((await decisionOf(paymentId)) ?? decision);
    },
  };
}
