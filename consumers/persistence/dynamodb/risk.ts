// The tenant's risk table (`<env>-<tenant>-risk`, key `counterKey`): velocity counters per
// payer and time window, and each payment's decision once made. Counting a payment and
// storing its decision are one TransactWriteItems, so a redelivered PaymentInitiated
// neither counts twice nor gets a second, possibly different, decision.
//
// The caller may add writes that go with the decision (`alsoWrite`): risk records its event
// on the payment in the same transaction (history entry and row, ../pipeline/payment-record).
//
// The decision depends on the window's count, which the write itself must not have to
// read first: the store remembers each window's count as it last saw it and makes the
// write conditional on it (`size(payments) = :before`). A stale or unknown count (another
// process counted meanwhile) fails the condition; the window is read and the write retried.
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { TTL_ATTRIBUTE } from "../../../core/storage/tables";
import type { RiskStore, StoredDecision } from "../ports/risk";
import { lostAt } from "../ports/transaction";
import { asWrite, writeTogether } from "./transaction";

/** Windows remembered per store; the oldest is forgotten first. */
const KNOWN_WINDOWS = 10_000;

/** Rounds of "the window moved meanwhile" before giving up (the batch is then retried). */
const MAX_ATTEMPTS = 5;

export function dynamoDbRiskStore(client: DynamoDBDocumentClient, tableName: string): RiskStore {
  const commit = writeTogether(client);
  const counts = new Map<string, number>();
  const remember = (counterKey: string, count: number) => {
    counts.delete(counterKey);
    counts.set(counterKey, count);
    if (counts.size > KNOWN_WINDOWS) counts.delete(counts.keys().next().value as string);
  };
  const decisionKey = (paymentId: string) => ({ counterKey: `decision#${paymentId}` });
  const read = async (Key: Record<string, string>) =>
    (await client.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }))).Item;
  const decisionOf = async (paymentId: string) => {
    const item = await read(decisionKey(paymentId));
    return item
      ? ({ decision: item.decision, score: item.score, reasons: item.reasons } as StoredDecision)
      : undefined;
  };
  const decisionPut = (paymentId: string, decision: StoredDecision) => ({
    TableName: tableName,
    Item: { ...decisionKey(paymentId), ...decision },
    ConditionExpression: "attribute_not_exists(counterKey)",
  });

  return {
    async assessOnce({ payer, paymentId, atMs, windowSeconds }, decide, alsoWrite = async () => []) {
      const windowMs = windowSeconds * 1000;
      const windowStart = Math.floor(atMs / windowMs) * windowMs;
      const counterKey = `velocity#${payer}#${windowStart}`;
      let refused = false;
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const before = counts.get(counterKey) ?? 0;
        const decision = decide(before + 1);
        const extra = await alsoWrite(decision, refused);
        const outcome = await commit([
          asWrite({
            Update: {
              TableName: tableName,
              Key: { counterKey },
              UpdateExpression: "ADD payments :id SET #ttl = :ttl",
              ConditionExpression:
                before === 0
                  ? "attribute_not_exists(payments)"
                  : "size(payments) = :before AND NOT contains(payments, :paymentId)",
              ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
              ExpressionAttributeValues: {
                ":id": new Set([paymentId]),
                ":ttl": Math.ceil((windowStart + 2 * windowMs) / 1000),
                ...(before === 0 ? {} : { ":before": before, ":paymentId": paymentId }),
              },
            },
          }),
          asWrite({ Put: decisionPut(paymentId, decision) }),
          ...extra,
        ]);
        if (outcome.committed) {
          remember(counterKey, before + 1);
          return decision;
        }
        // Decided before (a redelivery): that decision stands.
        if (lostAt(outcome, 1)) return (await decisionOf(paymentId)) ?? decision;
        refused = extra.some((_, index) => lostAt(outcome, 2 + index));
        if (!lostAt(outcome, 0)) continue;
        const payments = (await read({ counterKey }))?.payments as Set<string> | undefined;
        if (payments?.has(paymentId)) {
          // Counted, but no decision stored: decide on the window as it stands, first one wins.
          const late = decide(payments.size);
          const written = await commit([
            asWrite({ Put: decisionPut(paymentId, late) }),
            ...(await alsoWrite(late, refused)),
          ]);
          if (written.committed) return late;
          if (lostAt(written, 0)) return (await decisionOf(paymentId)) ?? late;
          throw new Error(`risk: the decision of ${paymentId} could not be recorded with its event`);
        }
        remember(counterKey, payments?.size ?? 0);
      }
      throw new Error(`risk: the velocity window of ${paymentId} kept changing`);
    },
  };
}
