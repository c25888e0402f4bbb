// The payment history `<env>-<tenant>-payment-events` (pk paymentId, sk sequence): each
// event envelope stored once, as it was; a redelivered event is a no-op.
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { conditionally } from "./conditional";
import type { OutboxEvent } from "./outbox";

export interface PaymentHistory<E extends OutboxEvent = OutboxEvent> {
  /** Stores the event unless its (paymentId, sequence) is taken; false if it was. */
  append(event: E): Promise<boolean>;
  /** The payment's events in sequence order; empty for an unknown payment. */
  list(paymentId: string): Promise<E[]>;
}

const MAX_PAGES = 100;

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
