// A data dir (or a deployment) made before the sparse byRefundWaiting index, on the real local
// DynamoDB: provisioning rebuilds an old payments table with its items and lists the rows
// with a refund waiting, finishes a rebuild a crash interrupted, and the backfill command
// lists such rows on a table that already has the index (as CDK adds it on AWS).
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../bin/cli";
import { storeFactory } from "../../../consumers/persistence/stores";
import { dynamoDbClient } from "../../../consumers/platform/aws";
import { deriveSecrets } from "../../../consumers/platform/secrets";
import { PAYMENT_INDEX, TENANT_TABLE_DEFINITIONS, tenantTables } from "../../../core/storage/tables";
import { provisionTenant } from "../../../local/provisioning";
import { listedWaiting } from "../api/support";
import { type LocalStack, startLocalStack, TEST_ENV, testTenant } from "./local-stack";
import { pendingRefund, settledPayment as settledRow } from "./refund-rows";

/** More than one BatchWriteItem (25) of payments, 2 of them with a refund waiting. */
const PAYMENTS = 60;
const WAITING = ["pay_0007", "pay_0042"];

let stack: LocalStack;
let dataDir: string;
let upgradeDir: string;
beforeAll(async () => {
  stack = await startLocalStack();
  dataDir = await mkdtemp(join(tmpdir(), "payrail-index-migration-"));
  upgradeDir = join(dataDir, "dynamodb-upgrade");
});
afterAll(async () => {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const stores = (tenantId: string) =>
  storeFactory(stack.documents, TEST_ENV, deriveSecrets("test")).forTenant(tenantId);
const now = new Date().toISOString();

const settledPayment = (tenantId: string, paymentId: string) => settledRow(tenantId, paymentId, now);
const waitingRefund = (refundId: string) => pendingRefund(refundId, true, now);

/** The payments table as it was before byRefundWaiting (dynalite cannot add the index later). */
async function createOldPaymentsTable(tenantId: string): Promise<string> {
  const { ttlAttribute: _ttl, ...definition } = TENANT_TABLE_DEFINITIONS.payments;
  const name = tenantTables(TEST_ENV, tenantId).payments;
  await stack.target.dynamodb.send(
    new CreateTableCommand({
      ...definition,
      TableName: name,
      AttributeDefinitions: definition.AttributeDefinitions.filter(
        (a) => a.AttributeName !== "refundWaitingShard",
      ),
      GlobalSecondaryIndexes: definition.GlobalSecondaryIndexes?.filter(
        (i) => i.IndexName !== PAYMENT_INDEX.refundWaiting,
      ),
    }),
  );
  return name;
}

/**
 * PAYMENTS settled payments, a waiting refund reserved on WAITING as the code before the index
 * did: counted in `refundsWaiting`, the row not listed (the attribute removed again).
 */
async function writePaymentsOfBefore(tenantId: string, table: string): Promise<void> {
  const store = stores(tenantId);
  for (let i = 0; i < PAYMENTS; i++) {
    const paymentId = `pay_${String(i).padStart(4, "0")}`;
    await store.payments.create(settledPayment(tenantId, paymentId), []);
  }
  for (const paymentId of WAITING) {
    const reserved = await store.refunds.reserve(paymentId, {
      refund: waitingRefund(`ref_${paymentId}`),
      payment: { status: "SETTLED", hasRefunds: true },
      seenAllocated: undefined,
      allocated: 6,
      emit: [],
    });
    expect(reserved).toBe(true);
    await stack.documents.send(
      new UpdateCommand({
        TableName: table,
        Key: { paymentId },
        UpdateExpression: "REMOVE refundWaitingShard",
      }),
    );
  }
}

const scan = async (table: string) =>
  (
    (await stack.documents.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? []
  ).sort((a, b) => String(a.paymentId).localeCompare(String(b.paymentId)));

/** The rows as they must be after the upgrade: the same, the waiting ones listed. */
const listedAsWaiting = (items: Record<string, unknown>[]) =>
  items.map((item) =>
    WAITING.includes(String(item.paymentId)) ? { ...item, refundWaitingShard: "waiting" } : item,
  );

const indexesOf = async (table: string) =>
  (
    (await stack.target.dynamodb.send(new DescribeTableCommand({ TableName: table }))).Table
      ?.GlobalSecondaryIndexes ?? []
  ).map((index) => index.IndexName);

/** A client to the same DynamoDB on which `command` on `table` fails from its `failFrom`-th call on: a crash there. */
function crashingClient(table: string, command: string, failFrom: number): DynamoDBClient {
  const client = dynamoDbClient({ endpoint: stack.dynamoEndpoint }, {});
  let calls = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TableName?: string; RequestItems?: Record<string, unknown> };
      const onTable = input.TableName === table || Boolean(input.RequestItems?.[table]);
      if (context.commandName === command && onTable && ++calls >= failFrom)
        throw new Error(`crash at ${command}`);
      return next(args);
    },
    { step: "initialize", name: "crash" },
  );
  return client;
}

describe("provisioning an old data dir whose payments table lacks byRefundWaiting", () => {
  it("rebuilds the table with every item, the index, and the rows with a refund waiting listed", async () => {
    const table = await createOldPaymentsTable("acme");
    await writePaymentsOfBefore("acme", table);
    const before = await scan(table);
    expect(before).toHaveLength(PAYMENTS);
    // A backup a crash cut short while it was written: the table was untouched, it is dropped.
    await mkdir(upgradeDir, { recursive: true });
    await writeFile(join(upgradeDir, `${table}.jsonl.partial`), '{"paymentId":{"S":"pay_torn"');

    const lines: string[] = [];
    await stack.provision("acme", "eu", { upgradeDir, log: (line) => lines.push(line) });
    expect(lines).toEqual([`DynamoDB: rebuilt ${table} with index byRefundWaiting (${PAYMENTS} items)`]);
    expect(await indexesOf(table)).toContain(PAYMENT_INDEX.refundWaiting);
    expect(await scan(table)).toEqual(listedAsWaiting(before));
    expect((await listedWaiting(stores("acme").refunds)).sort()).toEqual(WAITING);
    expect(await readdir(upgradeDir)).toEqual([]);

    // Upgraded: a later start rebuilds nothing.
    await stack.provision("acme", "eu", { upgradeDir, log: (line) => lines.push(line) });
    expect(lines).toHaveLength(1);
  });

  it.each([
    ["half restored", "BatchWriteItemCommand", 2],
    // The first CreateTable is provisioning's create-if-missing, the second the rebuild's.
    ["deleted, not yet created again", "CreateTableCommand", 2],
  ])("finishes a rebuild a crash interrupted, the table %s", async (_state, command, failFrom) => {
    const tenantId = command === "CreateTableCommand" ? "hooli" : "globex";
    const table = await createOldPaymentsTable(tenantId);
    await writePaymentsOfBefore(tenantId, table);
    const before = await scan(table);
    const lines: string[] = [];
    const options = { upgradeDir, log: (line: string) => lines.push(line) };

    const crashing = crashingClient(table, command, failFrom);
    await expect(
      provisionTenant(testTenant(tenantId), { ...stack.target, dynamodb: crashing }, options),
    ).rejects.toThrow(`crash at ${command}`);
    expect(await readdir(upgradeDir)).toEqual([`${table}.jsonl`]);
    if (command === "CreateTableCommand")
      await expect(indexesOf(table)).rejects.toBeInstanceOf(ResourceNotFoundException);
    else expect((await scan(table)).length).toBeLessThan(PAYMENTS);

    await stack.provision(tenantId, "eu", options);
    expect(lines).toEqual([
      `DynamoDB: restored ${table} from ${join(upgradeDir, `${table}.jsonl`)} after an interrupted rebuild (${PAYMENTS} items)`,
    ]);
    expect(await scan(table)).toEqual(listedAsWaiting(before));
    expect((await listedWaiting(stores(tenantId).refunds)).sort()).toEqual(WAITING);
    expect(await readdir(upgradeDir)).toEqual([]);
    crashing.destroy();
  });

  it("without a data dir to back up into, refuses the table, naming the index", async () => {
    const table = await createOldPaymentsTable("initech");
    await expect(stack.provision("initech")).rejects.toThrow(
      `table ${table} lacks the index byRefundWaiting (core/storage/tables.ts)`,
    );
  });
});

describe("payrail refunds backfill-index (a deployment, where CDK added the index to the table)", () => {
  it("lists the rows with a refund waiting that lack the index attribute, and is a no-op the second time", async () => {
    const { payments: table } = (await stack.provision("umbrella")).tables;
    await writePaymentsOfBefore("umbrella", table);
    expect(await listedWaiting(stores("umbrella").refunds)).toEqual([]);
    // The command finds the stack through --data, as against a running `npm start`.
    await writeFile(
      join(dataDir, "local.json"),
      JSON.stringify({ endpoints: { dynamodb: stack.dynamoEndpoint } }),
    );
    const run = async () => {
      const lines: string[] = [];
      const argv = [
        "refunds",
        "backfill-index",
        "--tenant",
        "umbrella",
        "--env",
        TEST_ENV,
        "--data",
        dataDir,
      ];
      const code = await runCli(argv, (line) => lines.push(line));
      return { code, lines };
    };

    expect(await run()).toEqual({ code: 0, lines: [`${table}: listed 2 rows with a refund waiting`] });
    expect((await listedWaiting(stores("umbrella").refunds)).sort()).toEqual(WAITING);
    expect(await run()).toEqual({ code: 0, lines: [`${table}: listed 0 rows with a refund waiting`] });
  });

  it("asks for either one tenant or --all", async () => {
    const lines: string[] = [];
    expect(await runCli(["refunds", "backfill-index", "--data", dataDir], (line) => lines.push(line))).toBe(
      2,
    );
    expect(lines).toEqual(["give either --tenant <id> or --all (every tenant in --config)"]);
  });
});
