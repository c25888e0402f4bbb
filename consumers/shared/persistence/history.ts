// The payment history `<env>-<tenant>-payment-events` (pk paymentId, sk sequence): each
// event envelope stored once, as it was; a redelivered event changes nothing.
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import { conditionally } from "./conditional";
import type { OutboxEvent } from "./outbox";

export interface PaymentHistory<E extends OutboxEvent = OutboxEvent> {
  /** Stores the event unless its (paymentId, sequence) is taken; false if it was. */
  append(event: E): Promise<boolean>;
  /**
   * Stores the events in BatchWriteItem calls (25 items each). The puts are unconditional:
   * a (paymentId, sequence) belongs to one event only (the row's conditional write gave it
   * out), so a redelivered event rewrites identical content. Throws if DynamoDB keeps
   * leaving items unprocessed.
   */
  appendAll(events: readonly E[]): Promise<void>;
  /** The payment's events in sequence order; empty for an unknown payment. */
  list(paymentId: string): Promise<E[]>;
}

const MAX_PAGES = 100;
/** BatchWriteItem takes at most 25 puts. */
const WRITE_BATCH = 25;
/** Rounds of retrying UnprocessedItems (throttling) before giving up. */
const MAX_UNPROCESSED_ROUNDS = 8;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function dynamoDbPaymentHistory<E extends OutboxEvent = OutboxEvent>(
  client: DynamoDBDocumentClient,
  tableName: string,
): PaymentHistory<E> {
  return {
    append(event) {
      return conditionally(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: event,
            ConditionExpression: "attribute_not_exists(#sequence)",
            ExpressionAttributeNames: { "#sequence": "sequence" },
          }),
        ),
      );
    },

    async appendAll(events) {
      // One put per key: BatchWriteItem refuses a request naming a key twice.
      const unique = new Map<string, E>();
      for (const event of events) {
        const key = `${event.paymentId}\u0000${event.sequence}`;
        if (!unique.has(key)) unique.set(key, event);
      }
      const items = [...unique.values()];
      const chunks: E[][] = [];
      for (let at = 0; at < items.length; at += WRITE_BATCH) chunks.push(items.slice(at, at + WRITE_BATCH));
      await Promise.all(
        chunks.map(async (chunk) => {
          let requests: unknown[] = chunk.map((event) => ({ PutRequest: { Item: event } }));
          for (let round = 0; requests.length > 0; round++) {
            if (round === MAX_UNPROCESSED_ROUNDS)
              throw new Error(`history: ${requests.length} events left unprocessed by ${tableName}`);
            if (round > 0) await sleep(Math.min(200, 10 * 2 ** round));
            const result = await client.send(
              new BatchWriteCommand({
                RequestItems: { [tableName]: requests as { PutRequest: { Item: E } }[] },
              }),
            );
            requests = result.UnprocessedItems?.[tableName] ?? [];
          }
        }),
      );
    },

    async list(paymentId) {
      const events: E[] = [];
      let startKey: Record<string, unknown> | undefined;
      // A history is a handful of events; the page cap only bounds a runaway loop.
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "paymentId = :id",
            ExpressionAttributeValues: { ":id": paymentId },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        events.push(...((result.Items ?? []) as E[]));
        startKey = result.LastEvaluatedKey;
        if (!startKey) break;
      }
      return events;
    },
  };
}
