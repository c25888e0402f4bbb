// The status consumer on a real local DynamoDB: rows it does not know yet are read in one
// batch get, consecutive events of a payment are written with their history entries as
// one transaction conditional on the row's sequence, and subscribers still see every
// change in order.
// Redelivery, a gap, a conflict, a late event and a mixed-tenant batch keep the semantics
// of applying each event on its own.
import { randomUUID } from "node:crypto";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { dynamoDbAttemptLog } from "../../../consumers/persistence/dynamodb/attempt-journal";
import { dynamoDbPaymentHistory } from "../../../consumers/persistence/dynamodb/history";
import { dynamoDbPaymentRepository } from "../../../consumers/persistence/dynamodb/payments";
import { writeTogether } from "../../../consumers/persistence/dynamodb/transaction";
import type { PaymentRecord } from "../../../consumers/persistence/ports/payments";
import { pipelineContext } from "../../../consumers/pipeline/context";
import { HEADER } from "../../../consumers/pipeline/headers";
import { recordWrites } from "../../../consumers/pipeline/payment-record";
import { knownSchemas, schemaVersionId } from "../../../consumers/pipeline/schema-ids";
import type { PaymentUpdatePublisher } from "../../../consumers/platform/appsync-client";
import { dynamoDbClient } from "../../../consumers/platform/aws";
import { type MSKEvent, toMskEvent } from "../../../consumers/platform/msk-event";
import { createStatusHandler, type StatusOptions } from "../../../consumers/status/handler";
import { createEvent, type EventEnvelope } from "../../../core/events";
import type { PaymentUpdateInput } from "../../../core/generated/graphql";
import { type TenantTables, tenantTables } from "../../../core/storage/tables";
import { type LocalStack, startLocalStack, TEST_ENV } from "../persistence/local-stack";

let stack: LocalStack;
const tables: Record<string, TenantTables> = {};
beforeAll(async () => {
  stack = await startLocalStack();
  for (const tenant of ["acme", "globex"]) {
    await stack.provision(tenant);
    tables[tenant] = tenantTables(TEST_ENV, tenant);
  }
});
afterAll(() => stack?.stop());

/** DynamoDB calls the handler made, by command name. */
let calls: string[];
/** Runs before each row update the handler sends (in its transaction); lets a test change the row under it. */
let beforeUpdate: ((input: { Key?: Record<string, unknown> }) => Promise<void>) | undefined;
let published: PaymentUpdateInput[];
let tenantsAsked: string[];
beforeEach(() => {
  calls = [];
  beforeUpdate = undefined;
  published = [];
  tenantsAsked = [];
});

function statusHandler(options: StatusOptions = {}, publisher: "working" | "failing" = "working") {
  // A client of its own: the document client shares its base client's middleware stack.
  const client = DynamoDBDocumentClient.from(dynamoDbClient({ endpoint: stack.dynamoEndpoint }, {}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(context.commandName ?? "?");
      const { TransactItems } = args.input as {
        TransactItems?: { Update?: { Key?: Record<string, unknown> } }[];
      };
      const update = TransactItems?.find((item) => item.Update)?.Update;
      if (update && beforeUpdate) await beforeUpdate(update);
      return next(args);
    },
    { step: "initialize", name: "countCalls" },
  );
  const ctx = pipelineContext({
    serviceName: "status",
    env: TEST_ENV,
    schemas: knownSchemas(),
    publisher: { publish: async () => {} },
    dynamo: client,
  });
  const updates: PaymentUpdatePublisher = {
    async publishPaymentUpdate(input) {
      if (publisher === "failing") throw new Error("AppSync unavailable");
      published.push(input);
      return { ...input, __typename: "PaymentUpdate" };
    },
  };
  return createStatusHandler(
    {
      ...ctx,
      stores: {
        ...ctx.stores,
        forTenant: (tenantId) => {
          tenantsAsked.push(tenantId);
          return ctx.stores.forTenant(tenantId);
        },
      },
    },
    updates,
    options,
  );
}

let n = 0;
/** A payment row as initiation writes it, and the chain of events that follows it. */
async function newPayment(tenantId = "acme", { risked = true } = {}) {
  const paymentId = `pay_status_${++n}`;
  const origin = { tenantId, paymentId, paymentType: "CARD" as const, correlationId: `corr-${n}` };
  const payer = {
    name: "Ada",
    cardToken: "tok_x",
    cardLast4: "4242",
    cardBrand: "visa" as const,
    cardExpiry: "12/30",
  };
  const initiated = createEvent({
    type: "PaymentInitiated",
    origin,
    data: { status: "INITIATED", amountMinor: "1250", currency: "EUR", idempotencyKey: `key-${n}`, payer },
  });
  const risk = createEvent({
    type: "PaymentRiskAssessed",
    cause: initiated,
    data: { status: "RISK_APPROVED", decision: "APPROVE", score: 12, reasons: [] },
  });
  const executed = createEvent({
    type: "PaymentExecuted",
    cause: risk,
    data: {
      status: "EXECUTED",
      rail: "card",
      railReference: `ref-${n}`,
      amountMinor: "1250",
      currency: "EUR",
    },
  });
  const settled = createEvent({
    type: "PaymentSettled",
    cause: executed,
    data: {
      status: "SETTLED",
      rail: "card",
      settlementDate: "2026-11-27",
      amountMinor: "1250",
      currency: "EUR",
    },
  });
  const row: PaymentRecord = {
    paymentId,
    tenantId,
    status: "INITIATED",
    paymentType: "CARD",
    amountMinor: "1250",
    currency: "EUR",
    payer,
    idempotencyKey: `key-${n}`,
    correlationId: origin.correlationId,
    sequence: 1,
    createdAt: initiated.occurredAt,
    updatedAt: initiated.occurredAt,
  };
  expect(await repo(tenantId).create(row, [])).toBe(true);
  // Initiation writes the first history entry in the same transaction as the row.
  expect(await history(tenantId).append(initiated)).toBe(true);
  // Risk records its decision's event before it publishes it (recorded at its source);
  // `risked: false` leaves the row as initiation wrote it, for a test to do it later.
  if (risked) await recordAtSource(row, risk);
  return { paymentId, row, initiated, risk, executed, settled };
}

/** What the risk service writes for its event: its history entry and the row, as status would. */
async function recordAtSource(row: PaymentRecord, event: EventEnvelope): Promise<void> {
  const stores = {
    payments: repo(row.tenantId),
    history: history(row.tenantId),
    attempts: dynamoDbAttemptLog(stack.documents, (tables[row.tenantId] as TenantTables).attempts),
  };
  const outcome = await writeTogether(stack.documents)(recordWrites(stores, row, event).writes);
  expect(outcome.committed).toBe(true);
}

const repo = (tenantId = "acme") =>
  dynamoDbPaymentRepository<EventEnvelope>(stack.documents, (tables[tenantId] as TenantTables).payments);
const history = (tenantId = "acme") =>
  dynamoDbPaymentHistory<EventEnvelope>(stack.documents, (tables[tenantId] as TenantTables).paymentEvents);

let offset = 0;
/** An MSK batch of `events`, in this order, as the event source mapping hands it over. */
function batch(events: EventEnvelope[]): MSKEvent {
  return toMskEvent(
    events.map((event) => ({
      topic: "payments.test",
      partition: 0,
      offset: String(offset++),
      timestamp: String(Date.now()),
      key: Buffer.from(event.tenantId),
      value: Buffer.from(JSON.stringify(event)),
      headers: {
        [HEADER.schemaVersionId]: schemaVersionId(event.type, event.schemaVersion),
        [HEADER.tenantId]: event.tenantId,
        [HEADER.eventType]: event.type,
        [HEADER.correlationId]: event.correlationId,
      },
    })),
    { eventSourceArn: "arn:aws:kafka:test", bootstrapServers: "127.0.0.1:9092" },
  );
}

const seen = (paymentId: string) =>
  published.filter((u) => u.paymentId === paymentId).map((u) => [u.status, u.previousStatus, u.sequence]);
const count = (command: string) => calls.filter((c) => c === command).length;

describe("status consumer", () => {
  it("applies several payments with several events each in few round trips, publishing every change in order", async () => {
    const handle = statusHandler();
    const [a, b, c] = [await newPayment(), await newPayment(), await newPayment()];
    // Interleaved as partitions deliver them; each payment's own events stay in order.
    await handle(
      batch([
        a.initiated,
        b.initiated,
        a.risk,
        c.risk,
        b.risk,
        a.executed,
        b.executed,
        a.settled,
        c.executed,
      ]),
    );

    expect(seen(a.paymentId)).toEqual([
      ["INITIATED", null, 1],
      ["RISK_APPROVED", "INITIATED", 2],
      ["EXECUTED", "RISK_APPROVED", 3],
      ["SETTLED", "EXECUTED", 4],
    ]);
    expect(seen(b.paymentId)).toEqual([
      ["INITIATED", null, 1],
      ["RISK_APPROVED", "INITIATED", 2],
      ["EXECUTED", "RISK_APPROVED", 3],
    ]);
    expect(seen(c.paymentId)).toEqual([
      ["RISK_APPROVED", "INITIATED", 2],
      ["EXECUTED", "RISK_APPROVED", 3],
    ]);
    expect(published.find((u) => u.paymentId === a.paymentId && u.status === "SETTLED")).toMatchObject({
      tenantId: "acme",
      amount: "12.50",
      currency: "EUR",
      eventType: "PaymentSettled",
      correlationId: a.initiated.correlationId,
      reason: null,
    });

    const rowA = (await repo().get(a.paymentId))?.payment;
    expect(rowA).toMatchObject({ status: "SETTLED", sequence: 4, updatedAt: a.settled.occurredAt });
    expect(rowA?.risk).toEqual({ decision: "APPROVE", score: 12, reasons: [] });
    expect((await repo().get(b.paymentId))?.payment).toMatchObject({ status: "EXECUTED", sequence: 3 });
    expect((await repo().get(c.paymentId))?.payment).toMatchObject({ status: "EXECUTED", sequence: 3 });
    expect((await history().list(a.paymentId)).map((e) => e.eventId)).toEqual(
      [a.initiated, a.risk, a.executed, a.settled].map((e) => e.eventId),
    );
    expect((await history().list(c.paymentId)).map((e) => e.sequence)).toEqual([1, 2, 3]);

    // One row read (c's: a and b came with their PaymentInitiated), one transaction per
    // payment that moved (its events' history entries and the row update).
    expect(count("BatchGetItemCommand")).toBe(1);
    expect(count("TransactWriteItemsCommand")).toBe(3);
    expect(calls).toHaveLength(4);
  });

  it("fails the batch when publishing fails, so that it is retried; the retry republishes the state", async () => {
    const a = await newPayment();
    const events = batch([a.risk, a.executed]);
    await expect(statusHandler({}, "failing")(events)).rejects.toThrow(/AppSync unavailable/);
    expect((await repo().get(a.paymentId))?.payment).toMatchObject({ status: "EXECUTED", sequence: 3 });
    await statusHandler()(events);
    expect(seen(a.paymentId)).toEqual([["EXECUTED", null, 3]]);
  });

  it("changes nothing twice when a batch is redelivered, and republishes each payment's current state", async () => {
    const handle = statusHandler();
    const [a, b] = [await newPayment(), await newPayment()];
    const redelivered = batch([a.risk, b.risk, a.executed]);
    await handle(redelivered);
    const rowsBefore = [(await repo().get(a.paymentId))?.payment, (await repo().get(b.paymentId))?.payment];
    const historyBefore = await history().list(a.paymentId);
    published = [];
    calls = [];

    await handle(redelivered);

    expect(count("TransactWriteItemsCommand")).toBe(0);
    expect([(await repo().get(a.paymentId))?.payment, (await repo().get(b.paymentId))?.payment]).toEqual(
      rowsBefore,
    );
    expect(await history().list(a.paymentId)).toEqual(historyBefore);
    // As event by event: the stale RISK_APPROVED of a is not republished, its EXECUTED is.
    // b's RISK_APPROVED, recorded by risk, is told as it was, each time.
    expect(seen(a.paymentId)).toEqual([["EXECUTED", null, 3]]);
    expect(seen(b.paymentId)).toEqual([["RISK_APPROVED", "INITIATED", 2]]);
  });

  it("keeps the first event of a sequence when a redelivered cause yields a different one", async () => {
    const handle = statusHandler();
    const a = await newPayment();
    await handle(batch([a.risk, a.executed]));
    // Execution ran again for a redelivered approval: same sequence, another rail answer.
    const failed = createEvent({
      type: "PaymentFailed",
      cause: a.risk,
      data: { status: "FAILED", rail: "card", code: "rail_timeout" },
    });
    expect(failed.sequence).toBe(a.executed.sequence);
    published = [];
    await handle(batch([failed]));
    expect((await repo().get(a.paymentId))?.payment).toMatchObject({ status: "EXECUTED", sequence: 3 });
    expect((await history().list(a.paymentId)).map((e) => e.type)).toEqual([
      "PaymentInitiated",
      "PaymentRiskAssessed",
      "PaymentExecuted",
    ]);
    expect(published.filter((u) => u.status === "FAILED")).toEqual([]);
  });

  it("applies a record delivered twice in one batch once, republishing it as a redelivery", async () => {
    const handle = statusHandler();
    const a = await newPayment();
    await handle(batch([a.initiated, a.risk, a.risk, a.executed]));
    expect(seen(a.paymentId)).toEqual([
      ["INITIATED", null, 1],
      ["RISK_APPROVED", "INITIATED", 2],
      ["RISK_APPROVED", "INITIATED", 2],
      ["EXECUTED", "RISK_APPROVED", 3],
    ]);
    expect((await history().list(a.paymentId)).map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect(count("TransactWriteItemsCommand")).toBe(1);
  });

  it("waits for a missing predecessor applied by another invocation, so subscribers see the states in order", async () => {
    const handle = statusHandler({ gapWaitMs: 30_000 });
    const [a, b] = [await newPayment("acme", { risked: false }), await newPayment()];
    // EXECUTED of a arrives before its RISK_APPROVED was recorded and told (another topic,
    // another mapping; here the row is still as initiation wrote it).
    const early = handle(batch([a.executed, a.settled, b.risk]));
    let earlyDone = false;
    void early.then(() => {
      earlyDone = true;
    });
    // b is not held up by a's wait.
    await vi.waitFor(() => expect(seen(b.paymentId)).not.toHaveLength(0), { timeout: 10_000, interval: 5 });
    expect(seen(b.paymentId)).toEqual([["RISK_APPROVED", "INITIATED", 2]]);
    expect(seen(a.paymentId)).toEqual([]);
    expect(earlyDone).toBe(false);

    // Risk records its event, then this service consumes it: either way (the wait polling
    // the row and telling RISK_APPROVED from the history, or the event itself) subscribers
    // see RISK_APPROVED first.
    await recordAtSource(a.row, a.risk);
    await handle(batch([a.risk]));
    await early;

    expect(seen(a.paymentId).slice(0, 3)).toEqual([
      ["RISK_APPROVED", "INITIATED", 2],
      ["EXECUTED", "RISK_APPROVED", 3],
      ["SETTLED", "EXECUTED", 4],
    ]);
    expect((await repo().get(a.paymentId))?.payment).toMatchObject({ status: "SETTLED", sequence: 4 });
  });

  it("applies an event anyway once the gap wait is over", async () => {
    const handle = statusHandler({ gapWaitMs: 0 });
    const a = await newPayment("acme", { risked: false });
    await handle(batch([a.executed]));
    expect(seen(a.paymentId)).toEqual([["EXECUTED", "INITIATED", 3]]);
    const row = (await repo().get(a.paymentId))?.payment;
    expect(row).toMatchObject({ status: "EXECUTED", sequence: 3 });
    // The predecessor, recorded late, is stale: risk puts it in the history only, and this
    // service tells nobody.
    published = [];
    await recordAtSource(row as PaymentRecord, a.risk);
    await handle(batch([a.risk]));
    expect(seen(a.paymentId)).toEqual([]);
    expect((await history().list(a.paymentId)).map((e) => e.sequence)).toEqual([1, 2, 3]);
  });

  it("re-reads the row when another writer moved it first, and applies only what is left", async () => {
    const handle = statusHandler();
    const a = await newPayment();
    // Just before our conditional write, another invocation applies EXECUTED (and its entry).
    beforeUpdate = async (input) => {
      if (input.Key?.paymentId !== a.paymentId) return;
      beforeUpdate = undefined;
      await history().append(a.executed);
      await stack.documents.send(
        new UpdateCommand({
          TableName: (tables.acme as TenantTables).payments,
          Key: { paymentId: a.paymentId },
          UpdateExpression: "SET #status = :status, #sequence = :sequence",
          ExpressionAttributeNames: { "#status": "status", "#sequence": "sequence" },
          ExpressionAttributeValues: { ":status": "EXECUTED", ":sequence": 3 },
        }),
      );
    };
    await handle(batch([a.initiated, a.risk, a.executed]));

    // The write expecting sequence 2 failed; after a re-read INITIATED and RISK_APPROVED
    // are stale (told by whoever moved the row past them) and EXECUTED is a duplicate
    // (republished).
    expect(count("TransactWriteItemsCommand")).toBe(1);
    expect(count("GetItemCommand")).toBe(1);
    expect(seen(a.paymentId)).toEqual([["EXECUTED", null, 3]]);
    expect((await repo().get(a.paymentId))?.payment).toMatchObject({ status: "EXECUTED", sequence: 3 });
  });

  it("keeps an event that cannot follow a terminal state in the history only", async () => {
    const handle = statusHandler();
    const a = await newPayment("acme", { risked: false });
    const declined = createEvent({
      type: "PaymentRiskAssessed",
      cause: a.initiated,
      data: { status: "DECLINED", decision: "DECLINE", score: 95, reasons: ["velocity", "amount"] },
    });
    await recordAtSource(a.row, declined);
    await handle(batch([declined, a.executed]));
    expect(seen(a.paymentId)).toEqual([["DECLINED", "INITIATED", 2]]);
    expect(published[0]?.reason).toBe("velocity, amount");
    const row = (await repo().get(a.paymentId))?.payment;
    expect(row).toMatchObject({ status: "DECLINED", sequence: 2, reason: "velocity, amount" });
    expect((await history().list(a.paymentId)).map((e) => e.type)).toEqual([
      "PaymentInitiated",
      "PaymentRiskAssessed",
      "PaymentExecuted",
    ]);
  });

  it("works each tenant's events through that tenant's tables", async () => {
    const handle = statusHandler();
    const [a, g] = [await newPayment("acme"), await newPayment("globex")];
    await handle(batch([a.risk, g.risk, g.executed, a.executed]));
    expect(new Set(tenantsAsked)).toEqual(new Set(["acme", "globex"]));
    expect((await repo("acme").get(a.paymentId))?.payment).toMatchObject({ sequence: 3 });
    expect((await repo("globex").get(g.paymentId))?.payment).toMatchObject({ sequence: 3 });
    expect(await history("acme").list(g.paymentId)).toEqual([]);
    expect((await history("globex").list(g.paymentId)).map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect(seen(g.paymentId).map(([status]) => status)).toEqual(["RISK_APPROVED", "EXECUTED"]);
  });

  it("throws for an unknown payment after applying the rest of the batch", async () => {
    const handle = statusHandler();
    const a = await newPayment();
    const ghost = { ...a.risk, paymentId: "pay_status_missing", eventId: randomUUID() };
    await expect(handle(batch([ghost, a.risk]))).rejects.toThrow(/pay_status_missing not found/);
    expect((await repo().get(a.paymentId))?.payment).toMatchObject({ status: "RISK_APPROVED", sequence: 2 });
  });
});
