// DynamoDB implementation of the IdempotencyStore port: one item per key in
// `<env>-<tenant>-idempotency`, every transition a conditional write.
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { conditionally } from "./conditional";
import {
  type ApiResponse,
  type IdempotencyRecord,
  IdempotencyRecordExists,
  type IdempotencyStore,
} from "./idempotency";

export function dynamoDbIdempotencyStore(
  client: DynamoDBDocumentClient,
  tableName: string,
): IdempotencyStore {
  return {
    async claim(record, nowSeconds) {
      const written = await conditionally(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: record,
            // TTL deletion lags by up to days, so an expired record counts as absent.
            ConditionExpression: "attribute_not_exists(#key) OR #expiresAt < :now",
            ExpressionAttributeNames: { "#key": "key", "#expiresAt": "expiresAt" },
            ExpressionAttributeValues: { ":now": nowSeconds },
          }),
        ),
      );
      if (written) return;
      const existing = await client.send(
        new GetCommand({ TableName: tableName, Key: { key: record.key }, ConsistentRead: true }),
      );
      // Gone between the two calls (expired and swept): the caller retries as a fresh claim.
      if (!existing.Item) throw new Error("idempotency record vanished during claim; retry");
      throw new IdempotencyRecordExists(existing.Item as IdempotencyRecord);
    },

    takeOver(key, previousInProgressUntil, inProgressUntil) {
      return conditionally(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { key },
            UpdateExpression: "SET inProgressUntil = :next",
            ConditionExpression: "#status = :inProgress AND inProgressUntil = :previous",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":next": inProgressUntil,
              ":previous": previousInProgressUntil,
              ":inProgress": "IN_PROGRESS",
            },
          }),
        ),
      );
    },

    async complete(key, resourceId, response: ApiResponse) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { key },
          UpdateExpression: "SET #status = :completed, #response = :response",
          ConditionExpression: "resourceId = :resourceId",
          ExpressionAttributeNames: { "#status": "status", "#response": "response" },
          ExpressionAttributeValues: {
            ":completed": "COMPLETED",
            ":response": response,
            ":resourceId": resourceId,
          },
        }),
      );
    },

    async release(key, resourceId) {
      await conditionally(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { key },
            UpdateExpression: "SET inProgressUntil = :zero",
            ConditionExpression: "#status = :inProgress AND resourceId = :resourceId",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":zero": 0,
              ":inProgress": "IN_PROGRESS",
              ":resourceId": resourceId,
            },
          }),
        ),
      );
    },
  };
}
