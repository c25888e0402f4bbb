// Execution's attempt journal on the tenant's attempts table (core/storage/tables.ts): one
// item per processor attempt, keyed (paymentId, attempt). An attempt is marked STARTED by a
// conditional put before its processor is called, so a redelivered event (or a second
// instance) finds it and asks the processor's status() instead of calling again. The API
// reads the same items for Payment.attempts.
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { AttemptJournal, AttemptRecord } from "../../core/routing";
import { conditionally } from "./conditional";

/** What the table holds beside the record: the payment and the rule that planned the attempt. */
export type AttemptItem = AttemptRecord & { paymentId: string; ruleId: string };

export interface AttemptLog {
  /** A payment's attempts in order ([] when it has none, or is another tenant's). */
  list(paymentId: string): Promise<AttemptItem[]>;
}

export function dynamoDbAttemptLog(client: DynamoDBDocumentClient, tableName: string): AttemptLog {
  return {
    async list(paymentId) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "paymentId = :p",
          ExpressionAttributeValues: { ":p": paymentId },
          ConsistentRead: true,
        }),
      );
      return Items as AttemptItem[];
    },
  };
}

export function dynamoDbAttemptJournal(
  client: DynamoDBDocumentClient,
  tableName: string,
  paymentId: string,
  ruleId: string,
): AttemptJournal {
  const log = dynamoDbAttemptLog(client, tableName);
  const item = (record: AttemptRecord): AttemptItem => ({ ...record, paymentId, ruleId });
  return {
    async list() {
      return (await log.list(paymentId)).map(({ paymentId: _p, ruleId: _r, ...record }) => record);
    },
    start(record) {
      return conditionally(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: item(record),
            ConditionExpression: "attribute_not_exists(paymentId)",
          }),
        ),
      );
    },
    async finish(record) {
      await client.send(new PutCommand({ TableName: tableName, Item: item(record) }));
    },
  };
}
