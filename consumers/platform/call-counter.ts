// Counts DynamoDB calls at the client: an AWS SDK v3 middleware that reports each command
// sent (its operation and the tables it names) to a recorder. Added only to clients built
// with a recorder (see aws.ts) or while a process-wide one is set (the local stack's
// PAYRAIL_COUNT_DYNAMODB_CALLS), so a client built without one pays nothing. Used by the call-count
// test and the pipeline benchmark, which read the tally instead of estimating round trips.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export type DynamoDbCall = { operation: string; tables: string[] };
export type DynamoDbCallRecorder = (call: DynamoDbCall) => void;

/** Calls per key, e.g. per operation ("PutItem") or per operation and table. */
export type CallTally = Record<string, number>;

type CommandInput = {
  TableName?: string;
  RequestItems?: Record<string, unknown>;
  TransactItems?: Record<string, { TableName?: string } | undefined>[];
};

/** The tables a command names: TableName, a batch's RequestItems, a transaction's items. */
export function tablesOf(command: object): string[] {
  const input = command as CommandInput;
  if (input.TableName) return [input.TableName];
  if (input.RequestItems) return Object.keys(input.RequestItems);
  const names = (input.TransactItems ?? []).flatMap((item) =>
    Object.values(item).flatMap((part) => (part?.TableName ? [part.TableName] : [])),
  );
  return [...new Set(names)];
}

/** "PutItemCommand" → "PutItem". */
const operationOf = (commandName: string) => commandName.replace(/Command$/, "");

/** At the initialize step: once per command sent, before the SDK's retries (a retried call counts once). */
export function countDynamoDbCalls(client: DynamoDBClient, record: DynamoDbCallRecorder): void {
  client.middlewareStack.add(
    (next, context) => (args) => {
      record({ operation: operationOf(context.commandName ?? "Unknown"), tables: tablesOf(args.input) });
      return next(args);
    },
    { step: "initialize", name: "payrailDynamoDbCallCounter" },
  );
}

let processRecorder: DynamoDbCallRecorder | undefined;

/** Every DynamoDB client built in this process from now on reports to `record` (undefined: none). */
export function countDynamoDbCallsOfNewClients(record: DynamoDbCallRecorder | undefined): void {
  processRecorder = record;
}

/** Counts every DynamoDB call of the clients built in this process from now on, by operation. */
export function tallyDynamoDbCallsOfNewClients(): CallTally {
  const calls: CallTally = {};
  countDynamoDbCallsOfNewClients(({ operation }) => {
    calls[operation] = (calls[operation] ?? 0) + 1;
  });
  return calls;
}

export const processDynamoDbCallRecorder = (): DynamoDbCallRecorder | undefined => processRecorder;

/** Pure: the number of calls per key that `keyOf` gives each call. */
export function tally<Call>(calls: readonly Call[], keyOf: (call: Call) => string): CallTally {
  const counts: CallTally = {};
  for (const call of calls) counts[keyOf(call)] = (counts[keyOf(call)] ?? 0) + 1;
  return counts;
}

export const byOperation = (call: DynamoDbCall) => call.operation;
