// Execution's attempt journal on the tenant's attempts table (core/storage/tables.ts): one
// item per processor attempt, keyed (paymentId, attempt). An attempt is marked STARTED by a
// conditional put before its processor is called, so a redelivered event (or a second
// instance) finds it and asks the processor's status() instead of calling again. Its answer
// costs no write of its own: it goes with the next attempt's start, or (the last attempt's)
// with the outcome event's record in the status service (`answerWrite`). The API reads the
// same items for Payment.attempts.
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { AttemptJournal, AttemptRecord } from "../../../core/routing";
import { type AttemptItem, type AttemptLog, attemptRecord } from "../ports/attempts";
import { lostAt } from "../ports/transaction";
import { conditionally } from "./conditional";
import { asWrite, writeTogether } from "./transaction";

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

    answerWrite(paymentId, { attempt, ...answer }) {
      const names: Record<string, string> = { "#paymentId": "paymentId" };
      const values: Record<string, unknown> = {};
      const assignments = Object.entries(answer).flatMap(([attribute, value], index) => {
        if (value === undefined) return [];
        names[`#a${index}`] = attribute;
        values[`:a${index}`] = value;
        return [`#a${index} = :a${index}`];
      });
      return asWrite({
        Update: {
          TableName: tableName,
          Key: { paymentId, attempt },
          UpdateExpression: `SET ${assignments.join(", ")}`,
          ConditionExpression: "attribute_exists(#paymentId)",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      });
    },
  };
}

/**
 * The journal of one payment's route. `known`: its attempts as the caller already read them
 * (execution reads them with the payment's row), so the route's first `list` costs no call.
 */
export function dynamoDbAttemptJournal(
  client: DynamoDBDocumentClient,
  tableName: string,
  route: { paymentId: string; ruleId: string; known?: readonly AttemptRecord[] },
): AttemptJournal {
  const { paymentId, ruleId } = route;
  const log = dynamoDbAttemptLog(client, tableName);
  const commit = writeTogether(client);
  const item = (record: AttemptRecord): AttemptItem => ({ ...record, paymentId, ruleId });
  let known = route.known;
  const startPut = (record: AttemptRecord) => ({
    TableName: tableName,
    Item: item(record),
    ConditionExpression: "attribute_not_exists(paymentId)",
  });
  return {
    async list() {
      const listed = known ?? (await log.list(paymentId)).map(attemptRecord);
      known = undefined;
      return [...listed];
    },
    async start(record, answered) {
      if (!answered) return conditionally(() => client.send(new PutCommand(startPut(record))));
      const outcome = await commit([
        asWrite({ Put: startPut(record) }),
        asWrite({ Put: { TableName: tableName, Item: item(answered) } }),
      ]);
      if (outcome.committed) return true;
      if (lostAt(outcome, 0)) return false;
      throw new Error(`attempts of ${paymentId}: the start of ${record.attemptId} was cancelled`);
    },
    async finish(record) {
      await client.send(new PutCommand({ TableName: tableName, Item: item(record) }));
    },
  };
}
