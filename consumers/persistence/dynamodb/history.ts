// The payment history `<env>-<tenant>-payment-events` (pk paymentId, sk sequence): each
// event envelope stored once, as it was; a redelivered event changes nothing.
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { PaymentHistory } from "../ports/history";
import type { OutboxEvent } from "../ports/outbox";
import { conditionally } from "./conditional";
import { asWrite } from "./transaction";

const MAX_PAGES = 100;

/** Puts in flight at once for appendAll. */
const WRITE_LANES = 16;

export function dynamoDbPaymentHistory<E extends OutboxEvent = OutboxEvent>(
  client: DynamoDBDocumentClient,
  tableName: string,
): PaymentHistory<E> {
  const put = (event: E) => ({
    TableName: tableName,
    Item: event,
    ConditionExpression: "attribute_not_exists(#sequence)",
    ExpressionAttributeNames: { "#sequence": "sequence" },
  });
  const append = (event: E) => conditionally(() => client.send(new PutCommand(put(event))));

  return {
    append,

    appendWrite: (event) => asWrite({ Put: put(event) }),

    async appendAll(events) {
      const queue = [...events];
      const lane = async () => {
        for (let event = queue.shift(); event; event = queue.shift()) await append(event);
      };
      await Promise.all(Array.from({ length: Math.min(WRITE_LANES, queue.length) }, lane));
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
