// The local stack runs its event services (consumers, relay, sweeper, webhook dispatcher) on
// a worker thread of their own, beside the API on the main thread, and still counts every
// DynamoDB call of the stack when asked to (bench/pipeline reads the tally).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { type LocalStack, startLocalStack } from "../../../local/start";
import { loadPayment } from "../../e2e/cards";
import { gql } from "../../e2e/stack";

let dataDir: string;
let stack: LocalStack;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "payrail-event-thread-"));
  stack = await startLocalStack({
    dataDir,
    memory: true,
    configDir: resolve("config"),
    ports: { graphql: 0, kafka: 0, dynamodb: 0, s3: 0 },
    countDynamoDbCalls: true,
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

it("settles a payment through the consumers' thread, whose DynamoDB calls are in the stack's tally", async () => {
  if (process.platform === "linux") {
    expect(stack.info.eventServicesThread).toBeGreaterThan(0);
    expect(stack.info.eventServicesThread).not.toBe(process.pid);
  }
  const token = stack.info.tenants.acme?.apiToken ?? "";
  const before = await stack.dynamoDbCalls();
  const started = await gql<{ initiatePayment: { id: string } }>(
    stack.info,
    token,
    `mutation Start($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id } }`,
    { input: loadPayment() },
  );
  const id = started.data?.initiatePayment?.id;
  expect(id).toBeDefined();
  await vi.waitFor(
    async () => {
      const now = await gql<{ payment: { status: string } | null }>(
        stack.info,
        token,
        `query One($id: ID!) { payment(id: $id) { status } }`,
        { id },
      );
      if (now.data?.payment?.status !== "SETTLED")
        throw new Error(`not settled yet: ${now.data?.payment?.status}`);
    },
    { timeout: 30_000, interval: 100 },
  );
  const after = await stack.dynamoDbCalls();
  const delta = (operation: string) => (after[operation] ?? 0) - (before[operation] ?? 0);
  // The API thread makes the initiation's transaction; risk's and status's are the consumers'
  // thread's, as is execution's attempt journal entry (the API puts no item for a payment).
  expect(delta("TransactWriteItems")).toBeGreaterThanOrEqual(4);
  expect(delta("PutItem")).toBeGreaterThanOrEqual(1);
}, 60_000);
