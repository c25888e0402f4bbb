// The sparse index of rows with a refund waiting for the sweeper (byRefundWaiting), on the
// real local DynamoDB with provisioned tables: the refund store lists a row when it reserves
// such a refund, the sweeper reads those rows and no others, and a row leaves the index once
// none of its refunds waits (the sweeper unlists it, only while none waits).
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ApiContext } from "../../../consumers/api/context";
import { republishDueRefunds } from "../../../consumers/auth-sweeper/refunds";
import type { RefundRecord } from "../../../consumers/persistence/ports/payments";
import { storeFactory } from "../../../consumers/persistence/stores";
import { dynamoDbClient } from "../../../consumers/platform/aws";
import { createLogger, createTracer } from "../../../consumers/platform/observability";
import { deriveSecrets } from "../../../consumers/platform/secrets";
import type { Personality } from "../../../core/processors";
import { listedWaiting } from "../api/support";
import { type LocalStack, startLocalStack, TEST_ENV } from "./local-stack";
import { pendingRefund, settledPayment as settledRow } from "./refund-rows";

/** What the sweeper's client asked for and read: operations, index entries queried, items batch-read. */
type Reads = { operations: string[]; indexes: string[]; indexEntries: number; items: number };

let stack: LocalStack;
let table: string;
let reads: Reads;
let ctx: ApiContext;
beforeAll(async () => {
  stack = await startLocalStack();
  table = (await stack.provision("acme")).tables.payments;
  const client = dynamoDbClient({ endpoint: stack.dynamoEndpoint }, {});
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const input = args.input as { IndexName?: string };
      const output = result.output as { ScannedCount?: number; Responses?: Record<string, unknown[]> };
      reads.operations.push(context.commandName ?? "");
      if (input.IndexName) reads.indexes.push(input.IndexName);
      reads.indexEntries += output.ScannedCount ?? 0;
      for (const found of Object.values(output.Responses ?? {})) reads.items += found.length;
      return result;
    },
    { step: "initialize", name: "testReads" },
  );
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  ctx = {
    stores: storeFactory(documents, TEST_ENV, deriveSecrets("test")),
    publisher: { publish: async () => undefined },
    logger: createLogger("test"),
    tracer: createTracer("test"),
    now: () => new Date(),
    inProgressMs: 30_000,
  };
});
afterAll(() => stack.stop());
beforeEach(() => {
  reads = { operations: [], indexes: [], indexEntries: 0, items: 0 };
});

const stores = () => ctx.stores.forTenant("acme");
const now = new Date().toISOString();
/** No rail settles a refund later: nothing the sweeper reads here is due. */
const personalities = new Map<string, Personality>();

const settledPayment = (paymentId: string, createdAt = now) => settledRow("acme", paymentId, createdAt);
const refundOf = (refundId: string, waits: boolean) => pendingRefund(refundId, waits, now);

/** Reserves a refund of 5.00 on a SETTLED row, `allocated` handing out sequences as the API does. */
async function reserve(paymentId: string, refund: RefundRecord, seenAllocated?: number): Promise<boolean> {
  return stores().refunds.reserve(paymentId, {
    refund,
    payment: { status: "SETTLED", hasRefunds: true },
    seenAllocated,
    allocated: (seenAllocated ?? 4) + 2,
    emit: [],
  });
}

const answer = (paymentId: string, refund: RefundRecord) =>
  stores().refunds.answer(paymentId, {
    refund: { ...refund, status: "SUCCEEDED", updatedAt: new Date().toISOString() },
    release: 0,
    completes: false,
  });

const listed = async () => (await listedWaiting(stores().refunds)).sort();

const rawItem = async (paymentId: string) =>
  (await stack.documents.send(new GetCommand({ TableName: table, Key: { paymentId }, ConsistentRead: true })))
    .Item;

describe("the sweeper reads only the rows with a refund waiting", () => {
  it("50 SETTLED rows without a waiting refund and 2 with one: the sweep reads the 2", async () => {
    for (let i = 0; i < 50; i++) await stores().payments.create(settledPayment(`pay_plain_${i}`), []);
    // A card refund answered at once does not wait: its row is not listed either.
    await stores().payments.create(settledPayment("pay_card_refund"), []);
    expect(await reserve("pay_card_refund", refundOf("ref_card", false))).toBe(true);
    // The second one is older: the index lists rows oldest first.
    for (const [id, createdAt] of [
      ["pay_waiting_1", now],
      ["pay_waiting_2", "2026-01-01T00:00:00.000Z"],
    ]) {
      await stores().payments.create(settledPayment(id, createdAt), []);
      expect(await reserve(id, refundOf(`ref_${id}`, true))).toBe(true);
    }

    reads = { operations: [], indexes: [], indexEntries: 0, items: 0 };
    expect(await republishDueRefunds(ctx, "acme", personalities)).toEqual([]);
    expect(reads).toEqual({
      operations: ["QueryCommand", "BatchGetItemCommand"],
      indexes: ["byRefundWaiting"],
      indexEntries: 2,
      items: 2,
    });
    const page = await stores().refunds.listWaiting(100);
    expect(page.items.map((payment) => payment.paymentId)).toEqual(["pay_waiting_2", "pay_waiting_1"]);
    expect(page.cursor).toBeUndefined();
    // Paged: one row a page here, the cursor asks for the next.
    const first = await stores().refunds.listWaiting(1);
    expect(first.items.map((payment) => payment.paymentId)).toEqual(["pay_waiting_2"]);
    const second = await stores().refunds.listWaiting(1, first.cursor);
    expect(second.items.map((payment) => payment.paymentId)).toEqual(["pay_waiting_1"]);
    // The index attribute is internal: the record as read does not carry it.
    expect(page.items[0]).toMatchObject({ status: "SETTLED", refundsWaiting: 1 });
    expect(page.items[0]).not.toHaveProperty("refundWaitingShard");
  });

  it("a row answered stays listed until the sweep finds none waiting and unlists it", async () => {
    const id = "pay_answered";
    const first = refundOf("ref_answered_1", true);
    const second = refundOf("ref_answered_2", true);
    await stores().payments.create(settledPayment(id), []);
    expect(await reserve(id, first)).toBe(true);
    expect(await reserve(id, second, 6)).toBe(true);
    expect((await rawItem(id))?.refundsWaiting).toBe(2);

    // One of two answered: still waiting, still listed, even after a sweep.
    expect(await answer(id, first)).toBe(true);
    await republishDueRefunds(ctx, "acme", personalities);
    expect(await listed()).toContain(id);

    // Both answered: the answer cannot unlist the row in its own write, the next sweep does.
    expect(await answer(id, second)).toBe(true);
    expect(await rawItem(id)).toMatchObject({ refundsWaiting: 0, refundWaitingShard: "waiting" });
    expect(await listed()).toContain(id);
    reads = { operations: [], indexes: [], indexEntries: 0, items: 0 };
    await republishDueRefunds(ctx, "acme", personalities);
    expect(reads.operations.filter((op) => op === "UpdateItemCommand")).toHaveLength(1);
    expect(await rawItem(id)).not.toHaveProperty("refundWaitingShard");
    expect(await listed()).not.toContain(id);

    // A later waiting refund lists the row again.
    expect(await reserve(id, refundOf("ref_answered_3", true), 8)).toBe(true);
    expect(await listed()).toContain(id);
  });

  it("does not unlist a row on which a refund waits again", async () => {
    const id = "pay_relisted";
    const first = refundOf("ref_relisted_1", true);
    await stores().payments.create(settledPayment(id), []);
    expect(await reserve(id, first)).toBe(true);
    expect(await answer(id, first)).toBe(true);
    // A sweep read the row with none waiting; a refund is reserved before it unlists the row.
    expect(await reserve(id, refundOf("ref_relisted_2", true), 6)).toBe(true);
    expect(await stores().refunds.unlistIfNoneWaiting(id)).toBe(false);
    expect(await rawItem(id)).toMatchObject({ refundsWaiting: 1, refundWaitingShard: "waiting" });
    expect(await listed()).toContain(id);
  });
});
