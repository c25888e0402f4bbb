// The DynamoDB call counter on a real client sending to dynalite: each command is recorded
// once, with its operation and the tables it names; a client built without a recorder
// records nothing.
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentClient } from "../../../consumers/platform/aws";
import {
  byOperation,
  countDynamoDbCallsOfNewClients,
  type DynamoDbCall,
  tablesOf,
  tally,
} from "../../../consumers/platform/call-counter";
import { type LocalDynamoDb, startDynamoDb } from "../../../local/dynamodb";

let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startDynamoDb();
});
afterAll(async () => {
  await dynamo?.stop();
});

describe("DynamoDB call counter", () => {
  it("records each command sent with its operation and tables", async () => {
    const calls: DynamoDbCall[] = [];
    const client = documentClient({ endpoint: dynamo.endpoint, onDynamoDbCall: (c) => calls.push(c) }, {});
    await client.send(
      new CreateTableCommand({
        TableName: "counted",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    await client.send(new PutCommand({ TableName: "counted", Item: { pk: "a" } }));
    await client.send(new PutCommand({ TableName: "counted", Item: { pk: "b" } }));
    await client.send(new GetCommand({ TableName: "counted", Key: { pk: "a" } }));
    await client.send(
      new QueryCommand({
        TableName: "counted",
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": "a" },
      }),
    );
    await client.send(
      new BatchGetCommand({ RequestItems: { counted: { Keys: [{ pk: "a" }, { pk: "b" }] } } }),
    );
    client.destroy();
    expect(calls).toEqual([
      { operation: "CreateTable", tables: ["counted"] },
      { operation: "PutItem", tables: ["counted"] },
      { operation: "PutItem", tables: ["counted"] },
      { operation: "GetItem", tables: ["counted"] },
      { operation: "Query", tables: ["counted"] },
      { operation: "BatchGetItem", tables: ["counted"] },
    ]);
    expect(tally(calls, byOperation)).toEqual({
      CreateTable: 1,
      PutItem: 2,
      GetItem: 1,
      Query: 1,
      BatchGetItem: 1,
    });
  });

  it("records a failed call too (it was a round trip)", async () => {
    const calls: DynamoDbCall[] = [];
    const client = documentClient({ endpoint: dynamo.endpoint, onDynamoDbCall: (c) => calls.push(c) }, {});
    await expect(client.send(new GetCommand({ TableName: "missing", Key: { pk: "a" } }))).rejects.toThrow();
    client.destroy();
    expect(tally(calls, (c) => `${c.operation} ${c.tables.join(",")}`)).toEqual({ "GetItem missing": 1 });
  });

  it("counts the clients built while a process-wide recorder is set, and only those", async () => {
    const calls: DynamoDbCall[] = [];
    const before = documentClient({ endpoint: dynamo.endpoint }, {});
    countDynamoDbCallsOfNewClients((c) => calls.push(c));
    const during = documentClient({ endpoint: dynamo.endpoint }, {});
    countDynamoDbCallsOfNewClients(undefined);
    const after = documentClient({ endpoint: dynamo.endpoint }, {});
    for (const client of [before, during, after]) {
      await client.send(new GetCommand({ TableName: "counted", Key: { pk: "a" } }));
      client.destroy();
    }
    expect(calls).toEqual([{ operation: "GetItem", tables: ["counted"] }]);
  });

  it("names a transaction's tables once each (dynalite has no transactions to send one to)", () => {
    const transaction = {
      TransactItems: [
        { Put: { TableName: "payments", Item: {} } },
        { Update: { TableName: "idempotency", Key: {}, UpdateExpression: "" } },
        { ConditionCheck: { TableName: "payments", Key: {}, ConditionExpression: "" } },
      ],
    };
    expect(tablesOf(transaction)).toEqual(["payments", "idempotency"]);
  });

  it("leaves a client built without a recorder without the middleware", () => {
    const client = documentClient({ endpoint: dynamo.endpoint }, {});
    expect(client.middlewareStack.identify().some((m) => m.startsWith("payrailDynamoDbCallCounter"))).toBe(
      false,
    );
    client.destroy();
  });
});
