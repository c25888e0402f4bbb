// TransactWriteItems / TransactGetItems of the local DynamoDB (local/dynamodb/), against
// the server as `npm start` runs it: on its worker thread, data on disk, spoken to by the
// AWS SDK v3 (client-dynamodb and lib-dynamodb).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateTableCommand,
  IdempotentParameterMismatchException,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentClient, dynamoDbClient } from "../../../consumers/platform/aws";
import type { DynamoDbThreadInfo } from "../../../local/threads/dynamodb.worker";
import { startDynamoDbThread, type ThreadedServer } from "../../../local/threads/servers";

let dir: string;
let server: ThreadedServer<DynamoDbThreadInfo>;
let docs: DynamoDBDocumentClient;

async function start(): Promise<void> {
  server = await startDynamoDbThread({ path: dir });
  docs = documentClient({ endpoint: server.endpoint }, {});
}

async function createTable(TableName: string): Promise<void> {
  await dynamoDbClient({ endpoint: server.endpoint }, {}).send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "payrail-ddb-txn-"));
  await start();
  await createTable("accounts");
  await createTable("ledger");
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const get = async (TableName: string, pk: string) =>
  (await docs.send(new GetCommand({ TableName, Key: { pk }, ConsistentRead: true }))).Item;

async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}

describe("TransactWriteItems", () => {
  it("applies Put, Update, Delete and ConditionCheck on two tables together", async () => {
    await docs.send(
      new PutCommand({ TableName: "accounts", Item: { pk: "a1", balance: 100, owner: "ann" } }),
    );
    await docs.send(new PutCommand({ TableName: "ledger", Item: { pk: "stale" } }));
    await docs.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: "accounts",
              Key: { pk: "a1" },
              UpdateExpression: "SET #balance = #balance - :amount",
              ConditionExpression: "#balance >= :amount",
              ExpressionAttributeNames: { "#balance": "balance" },
              ExpressionAttributeValues: { ":amount": 30 },
            },
          },
          {
            Put: {
              TableName: "ledger",
              Item: { pk: "entry-1", amount: 30 },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          { Delete: { TableName: "ledger", Key: { pk: "stale" } } },
          {
            ConditionCheck: {
              TableName: "accounts",
              Key: { pk: "owner-check" },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
        ],
      }),
    );
    expect(await get("accounts", "a1")).toEqual({ pk: "a1", balance: 70, owner: "ann" });
    expect(await get("ledger", "entry-1")).toEqual({ pk: "entry-1", amount: 30 });
    expect(await get("ledger", "stale")).toBeUndefined();
    expect(await get("accounts", "owner-check")).toBeUndefined();
  });

  it("applies nothing when one condition fails, and says which in item order", async () => {
    await docs.send(new PutCommand({ TableName: "accounts", Item: { pk: "a2", balance: 10 } }));
    const error = await rejection(
      docs.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: "ledger", Item: { pk: "entry-2", amount: 50 } } },
            {
              Update: {
                TableName: "accounts",
                Key: { pk: "a2" },
                UpdateExpression: "SET balance = balance - :amount",
                ConditionExpression: "balance >= :amount",
                ExpressionAttributeValues: { ":amount": 50 },
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
              },
            },
            {
              Update: {
                TableName: "accounts",
                Key: { pk: "a3" },
                UpdateExpression: "SET touched = :t",
                ExpressionAttributeValues: { ":t": true },
              },
            },
          ],
        }),
      ),
    );
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(error.message).toBe(
      "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]",
    );
    expect((error as unknown as TransactionCanceledException).CancellationReasons).toEqual([
      { Code: "None" },
      {
        Code: "ConditionalCheckFailed",
        Message: "The conditional request failed",
        Item: { pk: { S: "a2" }, balance: { N: "10" } },
      },
      { Code: "None" },
    ]);
    expect(await get("ledger", "entry-2")).toBeUndefined();
    expect(await get("accounts", "a2")).toEqual({ pk: "a2", balance: 10 });
    expect(await get("accounts", "a3")).toBeUndefined();
  });

  it("leaves Item out of a failed reason unless ALL_OLD was asked for", async () => {
    await docs.send(new PutCommand({ TableName: "accounts", Item: { pk: "a4" } }));
    const error = (await rejection(
      docs.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: "accounts",
                Key: { pk: "a4" },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
          ],
        }),
      ),
    )) as unknown as TransactionCanceledException;
    expect(error.CancellationReasons).toEqual([
      { Code: "ConditionalCheckFailed", Message: "The conditional request failed" },
    ]);
  });

  it("rejects more than 100 actions, two actions on one item and an unknown table", async () => {
    const puts = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ Put: { TableName: "ledger", Item: { pk: `many-${i}` } } }));
    const tooMany = await rejection(docs.send(new TransactWriteCommand({ TransactItems: puts(101) })));
    expect(tooMany.name).toBe("ValidationException");
    expect(tooMany.message).toContain("Member must have length less than or equal to 100");
    await docs.send(new TransactWriteCommand({ TransactItems: puts(100) }));
    expect(await get("ledger", "many-99")).toEqual({ pk: "many-99" });

    const twice = await rejection(
      docs.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: "ledger", Item: { pk: "same" } } },
            { Delete: { TableName: "ledger", Key: { pk: "same" } } },
          ],
        }),
      ),
    );
    expect(twice.name).toBe("ValidationException");
    expect(twice.message).toBe("Transaction request cannot include multiple operations on one item");

    const unknown = await rejection(
      docs.send(
        new TransactWriteCommand({ TransactItems: [{ Put: { TableName: "nowhere", Item: { pk: "x" } } }] }),
      ),
    );
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);

    const badExpression = await rejection(
      docs.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: "ledger", Item: { pk: "y" }, ConditionExpression: "pk = = :x" } },
          ],
        }),
      ),
    );
    expect(badExpression.name).toBe("ValidationException");
    expect(await get("ledger", "y")).toBeUndefined();
  });

  it("answers a repeated ClientRequestToken without applying twice; another request under it is refused", async () => {
    const client = dynamoDbClient({ endpoint: server.endpoint }, {});
    const increment = (by: string) =>
      new TransactWriteItemsCommand({
        ClientRequestToken: "token-1",
        TransactItems: [
          {
            Update: {
              TableName: "accounts",
              Key: { pk: { S: "counter" } },
              UpdateExpression: "ADD hits :by",
              ExpressionAttributeValues: { ":by": { N: by } },
            },
          },
        ],
      });
    await client.send(increment("1"));
    await client.send(increment("1"));
    expect(await get("accounts", "counter")).toEqual({ pk: "counter", hits: 1 });
    const mismatch = await rejection(client.send(increment("2")));
    expect(mismatch).toBeInstanceOf(IdempotentParameterMismatchException);
    expect(await get("accounts", "counter")).toEqual({ pk: "counter", hits: 1 });
  });

  it("lets exactly one of many concurrent transactions win a condition on one item", async () => {
    const contenders = 20;
    const results = await Promise.allSettled(
      Array.from({ length: contenders }, (_, i) =>
        docs.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: "accounts",
                  Item: { pk: "prize", winner: i },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              { Put: { TableName: "ledger", Item: { pk: `claim-${i}` } } },
            ],
          }),
        ),
      ),
    );
    const won = results.flatMap((result, i) => (result.status === "fulfilled" ? [i] : []));
    expect(won).toHaveLength(1);
    for (const result of results)
      if (result.status === "rejected") expect(result.reason).toBeInstanceOf(TransactionCanceledException);
    expect(await get("accounts", "prize")).toEqual({ pk: "prize", winner: won[0] });
    const claims = await Promise.all(
      Array.from({ length: contenders }, (_, i) => get("ledger", `claim-${i}`)),
    );
    expect(claims.flatMap((claim, i) => (claim ? [i] : []))).toEqual(won);
  });

  it("does not interleave with single-item writes to the same item (no lost update)", async () => {
    await docs.send(new PutCommand({ TableName: "accounts", Item: { pk: "shared", n: 0 } }));
    const rounds = 25;
    const add = { UpdateExpression: "SET n = n + :one", ExpressionAttributeValues: { ":one": 1 } };
    await Promise.all(
      Array.from({ length: rounds }, (_, i) => [
        docs.send(new UpdateCommand({ TableName: "accounts", Key: { pk: "shared" }, ...add })),
        docs.send(
          new TransactWriteCommand({
            TransactItems: [
              { Update: { TableName: "accounts", Key: { pk: "shared" }, ...add } },
              { Put: { TableName: "ledger", Item: { pk: `shared-${i}` } } },
            ],
          }),
        ),
      ]).flat(),
    );
    expect(await get("accounts", "shared")).toEqual({ pk: "shared", n: 2 * rounds });
  });
});

describe("TransactGetItems", () => {
  it("returns the items in request order, an absent one as an empty response, projected", async () => {
    await docs.send(new PutCommand({ TableName: "accounts", Item: { pk: "g1", a: 1, b: 2 } }));
    await docs.send(new PutCommand({ TableName: "ledger", Item: { pk: "g2", c: 3 } }));
    const { Responses } = await docs.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName: "ledger", Key: { pk: "g2" } } },
          { Get: { TableName: "accounts", Key: { pk: "missing" } } },
          {
            Get: {
              TableName: "accounts",
              Key: { pk: "g1" },
              ProjectionExpression: "#b",
              ExpressionAttributeNames: { "#b": "b" },
            },
          },
        ],
      }),
    );
    expect(Responses).toEqual([{ Item: { pk: "g2", c: 3 } }, {}, { Item: { b: 2 } }]);
  });

  it("never sees a transaction half applied", async () => {
    // Transfers between two accounts keep their sum; every snapshot read meanwhile must too.
    await docs.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: "accounts", Item: { pk: "left", v: 50 } } },
          { Put: { TableName: "ledger", Item: { pk: "right", v: 50 } } },
        ],
      }),
    );
    const move = (from: string, fromTable: string, to: string, toTable: string) =>
      docs.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: fromTable,
                Key: { pk: from },
                UpdateExpression: "SET v = v - :one",
                ExpressionAttributeValues: { ":one": 1 },
              },
            },
            {
              Update: {
                TableName: toTable,
                Key: { pk: to },
                UpdateExpression: "SET v = v + :one",
                ExpressionAttributeValues: { ":one": 1 },
              },
            },
          ],
        }),
      );
    const read = async () => {
      const { Responses } = await docs.send(
        new TransactGetCommand({
          TransactItems: [
            { Get: { TableName: "accounts", Key: { pk: "left" } } },
            { Get: { TableName: "ledger", Key: { pk: "right" } } },
          ],
        }),
      );
      return Number(Responses?.[0]?.Item?.v) + Number(Responses?.[1]?.Item?.v);
    };
    const sums = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0 ? move("left", "accounts", "right", "ledger").then(read) : read(),
      ),
    );
    expect(new Set(sums)).toEqual(new Set([100]));
  });
});

describe("a restart", () => {
  it("keeps what a transaction committed", async () => {
    await docs.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: "accounts", Item: { pk: "durable-1", v: 1 } } },
          { Put: { TableName: "ledger", Item: { pk: "durable-2", v: 2 } } },
        ],
      }),
    );
    await server.stop();
    await start();
    const { Responses } = await docs.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName: "accounts", Key: { pk: "durable-1" } } },
          { Get: { TableName: "ledger", Key: { pk: "durable-2" } } },
        ],
      }),
    );
    expect(Responses).toEqual([{ Item: { pk: "durable-1", v: 1 } }, { Item: { pk: "durable-2", v: 2 } }]);
  });
});
