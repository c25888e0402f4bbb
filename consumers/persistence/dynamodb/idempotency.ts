// DynamoDB implementation of the IdempotencyStore port: one item per key in
// `<env>-<tenant>-idempotency`, written conditionally inside the request's transaction.
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { IdempotencyRecord, IdempotencyStore } from "../ports/idempotency";
import { conditionally } from "./conditional";
import { asWrite } from "./transaction";

export function dynamoDbIdempotencyStore(
  client: DynamoDBDocumentClient,
  tableName: string,
): IdempotencyStore {
  return {
    recordWrite(record, nowSeconds) {
      return asWrite({
        Put: {
          TableName: tableName,
          Item: record,
          // TTL deletion lags by up to days, so an expired record counts as absent.
          ConditionExpression: "attribute_not_exists(#key) OR #expiresAt < :now",
          ExpressionAttributeNames: { "#key": "key", "#expiresAt": "expiresAt" },
          ExpressionAttributeValues: { ":now": nowSeconds },
        },
      });
    },

    async get(key, nowSeconds) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: { key }, ConsistentRead: true }),
      );
      const record = Item as IdempotencyRecord | undefined;
      return record && record.expiresAt >= nowSeconds ? record : undefined;
    },

    async endPublishing(key) {
      await conditionally(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { key },
            UpdateExpression: "SET publishingUntil = :zero",
            ConditionExpression: "attribute_exists(#key)",
            ExpressionAttributeNames: { "#key": "key" },
            ExpressionAttributeValues: { ":zero": 0 },
          }),
        ),
      );
    },
  };
}
