// The processor-health table (`<env>-payrail-processor-health`): slot 0 holds a processor's
// breaker with a version for compare-and-set, every other slot one window bucket's counters
// (ADD, so concurrent instances never lose a sample).
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { type BreakerState, CLOSED } from "../../../core/routing";
import { TTL_ATTRIBUTE } from "../../../core/storage/tables";
import type { ProcessorHealthStore, StoredBreaker } from "../ports/processor-health";
import { conditionally } from "./conditional";

const BREAKER_SLOT = 0;

export function dynamoDbProcessorHealthStore(
  client: DynamoDBDocumentClient,
  tableName: string,
): ProcessorHealthStore {
  async function readBreaker(processor: string): Promise<StoredBreaker> {
    const { Item: item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { processor, slot: BREAKER_SLOT }, ConsistentRead: true }),
    );
    return item
      ? {
          status: item.status,
          sinceMs: item.sinceMs,
          probes: item.probes,
          probeSuccesses: item.probeSuccesses,
          version: item.version,
        }
      : { ...CLOSED, version: 0 };
  }

  return {
    readBreaker,

    async read(processor, fromMs) {
      const [breaker, window] = await Promise.all([
        readBreaker(processor),
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "#p = :p AND #s >= :from",
            ExpressionAttributeNames: { "#p": "processor", "#s": "slot" },
            ExpressionAttributeValues: { ":p": processor, ":from": Math.max(fromMs, BREAKER_SLOT + 1) },
            ConsistentRead: true,
          }),
        ),
      ]);
      const buckets = (window.Items ?? []).map((b) => ({
        startMs: b.slot as number,
        requests: (b.requests as number | undefined) ?? 0,
        errors: (b.errors as number | undefined) ?? 0,
        slow: (b.slow as number | undefined) ?? 0,
      }));
      return { breaker, buckets };
    },

    async addSamples(processor, bucketStartMs, counts, expiresAtSeconds) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { processor, slot: bucketStartMs },
          UpdateExpression: "ADD requests :requests, errors :errors, slow :slow SET #ttl = :ttl",
          ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ":requests": counts.requests,
            ":errors": counts.errors,
            ":slow": counts.slow,
            ":ttl": expiresAtSeconds,
          },
        }),
      );
    },

    replaceBreaker(processor, version, next: BreakerState) {
      return conditionally(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: { processor, slot: BREAKER_SLOT, ...next, version: version + 1 },
            ConditionExpression: version === 0 ? "attribute_not_exists(#p)" : "version = :v",
            ExpressionAttributeNames: version === 0 ? { "#p": "processor" } : undefined,
            ExpressionAttributeValues: version === 0 ? undefined : { ":v": version },
          }),
        ),
      );
    },
  };
}
