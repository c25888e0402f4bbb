import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiResponse } from "../../../consumers/api/contract";
import { type IdempotencyRecord, idempotent, type Made } from "../../../consumers/api/idempotent";
import { dynamoDbPaymentHistory } from "../../../consumers/persistence/dynamodb/history";
import { dynamoDbIdempotencyStore } from "../../../consumers/persistence/dynamodb/idempotency";
import { dynamoDbPaymentRepository } from "../../../consumers/persistence/dynamodb/payments";
import { writeTogether } from "../../../consumers/persistence/dynamodb/transaction";
import { dynamoDbCardVault } from "../../../consumers/persistence/dynamodb/vault";
import { MIN_TTL_SECONDS } from "../../../consumers/persistence/ports/idempotency";
import { type OutboxEvent, relayOutbox } from "../../../consumers/persistence/ports/outbox";
import type { PaymentRecord } from "../../../consumers/persistence/ports/payments";
import type { TenantTables } from "../../../core/storage/tables";
import { type LocalStack, startLocalStack } from "./local-stack";

let stack: LocalStack;
let tables: TenantTables;
beforeAll(async () => {
  stack = await startLocalStack();
  tables = (await stack.provision("acme")).tables;
});
afterAll(() => stack.stop());

const event = (paymentId: string, sequence: number): OutboxEvent => ({
  eventId: `evt-${paymentId}-${sequence}`,
  type: sequence === 1 ? "PaymentInitiated" : "PaymentRiskAssessed",
  schemaVersion: 1,
  tenantId: "acme",
  paymentId,
  paymentType: "CARD",
  correlationId: "corr-1",
  sequence,
});

const payment = (paymentId: string, over: Partial<PaymentRecord> = {}): PaymentRecord => ({
  paymentId,
  tenantId: "acme",
  status: "INITIATED",
  paymentType: "CARD",
  amountMinor: "1250",
  currency: "EUR",
  payer: { name: "Ada", cardToken: "tok_x", cardLast4: "4242", cardBrand: "visa", cardExpiry: "12/30" },
  idempotencyKey: `key-${paymentId}`,
  correlationId: "corr-1",
  sequence: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  ...over,
});

describe("idempotency on DynamoDB, in one transaction with what the request makes", () => {
  const store = () => dynamoDbIdempotencyStore(stack.documents, tables.idempotency);
  const commit = () => writeTogether(stack.documents);
  const repo = () => dynamoDbPaymentRepository(stack.documents, tables.payments);
  const options = (key: string) => ({ key, payloadHash: "h", ttlSeconds: 0, publishingMs: 60_000 });
  /** Makes payment `paymentId` (row + event) and answers its id. */
  const making = (paymentId: string, publish?: () => Promise<void>) => async (): Promise<Made> => ({
    response: { data: { paymentId } },
    resourceId: paymentId,
    writes: [repo().createWrite(payment(paymentId), [event(paymentId, 1)])],
    publish,
  });
  const replayed = async (record: IdempotencyRecord): Promise<ApiResponse> => record.response;

  it("writes the record and the payment together, then replays the stored response", async () => {
    const first = await idempotent(store(), commit(), options("k1"), making("pay_k1"), replayed);
    expect(first).toEqual({ data: { paymentId: "pay_k1" } });
    expect(await store().get("k1", 1_000)).toMatchObject({ resourceId: "pay_k1", response: first });
    const again = await idempotent(store(), commit(), options("k1"), making("pay_k1_again"), replayed);
    expect(again).toEqual(first);
    expect(await repo().get("pay_k1_again")).toBeUndefined();
    const conflict = await idempotent(
      store(),
      commit(),
      { ...options("k1"), payloadHash: "other" },
      making("x"),
      replayed,
    );
    expect(conflict).toMatchObject({ error: { errorType: "IdempotencyConflict" } });
  });

  it("writes neither the record nor anything else when one write of the transaction is refused", async () => {
    await repo().create(payment("pay_taken"), []);
    await expect(idempotent(store(), commit(), options("k2"), making("pay_taken"), replayed)).rejects.toThrow(
      "refused",
    );
    expect(await store().get("k2", 1_000)).toBeUndefined();
  });

  it("lets one of two concurrent requests with the same key make the payment", async () => {
    const answers = await Promise.all(
      ["pay_c1", "pay_c2"].map((id) => idempotent(store(), commit(), options("k3"), making(id), replayed)),
    );
    const made = [await repo().get("pay_c1"), await repo().get("pay_c2")].filter(Boolean);
    expect(made).toHaveLength(1);
    const winner = made[0]?.payment.paymentId;
    expect(answers).toEqual([{ data: { paymentId: winner } }, { data: { paymentId: winner } }]);
  });

  it("treats an expired record as absent", async () => {
    const short = { ...options("k4"), now: () => 0 };
    await idempotent(store(), commit(), short, making("pay_old"), replayed);
    expect(await store().get("k4", MIN_TTL_SECONDS + 1)).toBeUndefined();
    const later = { ...options("k4"), now: () => (MIN_TTL_SECONDS + 1) * 1000 };
    expect(await idempotent(store(), commit(), later, making("pay_new"), replayed)).toEqual({
      data: { paymentId: "pay_new" },
    });
  });

  it("ends the publishing window when publishing fails, so the retry's replay heals at once", async () => {
    const failing = async () => {
      throw new Error("broker unreachable");
    };
    await expect(
      idempotent(store(), commit(), options("k5"), making("pay_k5", failing), replayed),
    ).rejects.toThrow("broker unreachable");
    expect(await store().get("k5", 1_000)).toMatchObject({ resourceId: "pay_k5", publishingUntil: 0 });
  });
});

describe("payment repository", () => {
  const repo = () => dynamoDbPaymentRepository(stack.documents, tables.payments);

  it("creates once and updates only on the expected sequence", async () => {
    expect(await repo().create(payment("p1"), [event("p1", 1)])).toBe(true);
    expect(await repo().create(payment("p1", { amountMinor: "9" }), [])).toBe(false);
    const stale = await repo().update("p1", {
      expect: { sequence: 0 },
      set: { status: "DECLINED", sequence: 2 },
    });
    expect(stale).toBe(false);
    const applied = await repo().update("p1", {
      expect: { sequence: 1, status: "INITIATED" },
      set: { status: "IN_REVIEW", sequence: 2, reason: "amount_review" },
    });
    expect(applied).toBe(true);
    const stored = await repo().get("p1");
    expect(stored?.payment).toMatchObject({
      status: "IN_REVIEW",
      sequence: 2,
      amountMinor: "1250",
      reason: "amount_review",
    });
    expect(stored?.payment).not.toHaveProperty("createdKey");
  });

  it("clears the outbox with a change only while it is at the version known to be published", async () => {
    await repo().create(payment("p-clear"), [event("p-clear", 1)]);
    const change = (sequence: number, version: number) => ({
      expect: { sequence },
      set: { status: "RISK_APPROVED" as const, sequence: sequence + 1 },
      clearOutbox: { version },
    });
    expect(await repo().update("p-clear", change(1, 2))).toBe(false);
    expect((await repo().get("p-clear"))?.pendingEvents).toHaveLength(1);
    expect(await repo().update("p-clear", change(1, 1))).toBe(true);
    const row = await repo().get("p-clear");
    expect(row).toMatchObject({ pendingEvents: [], outboxVersion: 2, payment: { sequence: 2 } });
    // Already cleared (say by the relay): the next change still goes through.
    expect(await repo().update("p-clear", change(2, 1))).toBe(true);
  });

  it("keeps events in the outbox until published, and the relay publishes each once", async () => {
    await repo().create(payment("p2"), [event("p2", 1)]);
    await repo().update("p2", { expect: { sequence: 1 }, set: { sequence: 1 }, emit: [event("p2", 2)] });
    expect((await repo().get("p2"))?.pendingEvents.map((e) => e.sequence)).toEqual([1, 2]);
    const published: OutboxEvent[] = [];
    const publisher = { publish: async (events: readonly OutboxEvent[]) => void published.push(...events) };
    const relayed = await relayOutbox(repo(), publisher);
    expect(published.filter((e) => e.paymentId === "p2").map((e) => e.sequence)).toEqual([1, 2]);
    expect(relayed).toBeGreaterThanOrEqual(2);
    expect((await repo().get("p2"))?.pendingEvents).toEqual([]);
    expect(await repo().pending(100)).toEqual([]);
  });

  it("clears with a stale outbox snapshot without losing events added since", async () => {
    await repo().create(payment("p3"), [event("p3", 1)]);
    await repo().update("p3", { expect: { sequence: 1 }, set: { sequence: 1 }, emit: [event("p3", 2)] });
    await repo().markPublished("p3", ["evt-p3-1"], { version: 1, events: [event("p3", 1)] });
    const stored = await repo().get("p3");
    expect(stored?.pendingEvents.map((e) => e.eventId)).toEqual(["evt-p3-2"]);
    await repo().markPublished("p3", ["evt-p3-2"], {
      version: stored?.outboxVersion ?? 0,
      events: stored?.pendingEvents ?? [],
    });
    expect((await repo().get("p3"))?.pendingEvents).toEqual([]);
  });

  it("keeps an event added after the outbox was emptied from a clear with an older snapshot", async () => {
    // A publisher read the outbox at version 1 ([e1]); meanwhile another emptied it and a
    // new event came. The version must not come back to 1, or the stale clear removes e2.
    await repo().create(payment("p5"), [event("p5", 1)]);
    const stale = { version: 1, events: [event("p5", 1)] };
    await repo().markPublished("p5", ["evt-p5-1"], stale);
    await repo().update("p5", { expect: { sequence: 1 }, set: { sequence: 1 }, emit: [event("p5", 2)] });
    await repo().markPublished("p5", ["evt-p5-1"], stale);
    expect((await repo().get("p5"))?.pendingEvents.map((e) => e.eventId)).toEqual(["evt-p5-2"]);
    // The same for the status service's clear at the created version.
    const change = { expect: { sequence: 1 }, set: { sequence: 2 }, clearOutbox: { version: 1 } };
    expect(await repo().update("p5", change)).toBe(false);
    expect((await repo().get("p5"))?.pendingEvents.map((e) => e.eventId)).toEqual(["evt-p5-2"]);
  });

  it("lists newest first by status, type and time, page by page", async () => {
    const created = ["2026-02-01T00:00:00.000Z", "2026-02-02T00:00:00.000Z", "2026-02-03T00:00:00.000Z"];
    await repo().create(payment("l1", { createdAt: created[0], paymentType: "SEPA_CREDIT" }), []);
    await repo().create(payment("l2", { createdAt: created[1], status: "SETTLED" }), []);
    await repo().create(payment("l3", { createdAt: created[2] }), []);
    const ids = (items: PaymentRecord[]) => items.map((p) => p.paymentId);

    const first = await repo().list({ createdAfter: "2026-01-31T00:00:00Z" }, 2);
    expect(ids(first.items)).toEqual(["l3", "l2"]);
    const second = await repo().list({ createdAfter: "2026-01-31T00:00:00Z" }, 2, first.cursor);
    expect(ids(second.items)).toEqual(["l1"]);
    expect(ids((await repo().list({ status: "SETTLED" }, 10)).items)).toEqual(["l2"]);
    expect(ids((await repo().list({ paymentType: "SEPA_CREDIT" }, 10)).items)).toEqual(["l1"]);
    const window = await repo().list({ createdAfter: created[0], createdBefore: created[2] }, 10);
    expect(ids(window.items)).toEqual(["l2", "l1"]);
    expect(ids((await repo().list({ status: "INITIATED", paymentType: "SEPA_CREDIT" }, 10)).items)).toEqual([
      "l1",
    ]);
  });
});

describe("payment repository, batch reads", () => {
  it("reads many rows consistently, more than one BatchGetItem's worth, leaving unknown ids out", async () => {
    const repo = dynamoDbPaymentRepository(stack.documents, tables.payments);
    const ids = Array.from({ length: 130 }, (_, i) => `bg${i}`);
    await Promise.all(ids.map((id) => repo.create(payment(id), id === "bg7" ? [event(id, 1)] : [])));
    expect(
      await repo.update("bg3", { expect: { sequence: 1 }, set: { status: "RISK_APPROVED", sequence: 2 } }),
    ).toBe(true);
    const rows = await repo.getMany([...ids, "bg-missing", "bg3"]);
    expect(rows.size).toBe(130);
    expect(rows.has("bg-missing")).toBe(false);
    expect(rows.get("bg3")?.payment).toMatchObject({ status: "RISK_APPROVED", sequence: 2 });
    for (const id of ["bg0", "bg7", "bg129"]) expect(rows.get(id)).toEqual(await repo.get(id));
    expect(rows.get("bg7")?.pendingEvents.map((e) => e.eventId)).toEqual(["evt-bg7-1"]);
    expect((await repo.getMany([])).size).toBe(0);
  });
});

describe("payment history", () => {
  it("stores a batch of events; a redelivered batch or a repeated event changes nothing", async () => {
    const history = dynamoDbPaymentHistory(stack.documents, tables.paymentEvents);
    const events = Array.from({ length: 30 }, (_, i) => event(`hb${i % 10}`, 1 + Math.floor(i / 10)));
    await history.appendAll([...events, events[4] as OutboxEvent]);
    expect((await history.list("hb4")).map((e) => [e.sequence, e.eventId])).toEqual([
      [1, "evt-hb4-1"],
      [2, "evt-hb4-2"],
      [3, "evt-hb4-3"],
    ]);
    await history.appendAll(events.slice(0, 12));
    expect(await history.list("hb1")).toEqual([1, 2, 3].map((sequence) => event("hb1", sequence)));
    await history.appendAll([]);
  });

  it("keeps the first event stored for a sequence when a redelivered cause yields another", async () => {
    const history = dynamoDbPaymentHistory(stack.documents, tables.paymentEvents);
    const first = { ...event("hr1", 2), type: "PaymentExecuted", occurredAt: "2026-11-27T09:00:00.000Z" };
    await history.appendAll([event("hr1", 1), first]);
    // The same follow-up again, made later and with another rail answer.
    const again = { ...first, type: "PaymentFailed", occurredAt: "2026-11-27T09:00:05.000Z" };
    await history.appendAll([again]);
    expect(await history.list("hr1")).toEqual([event("hr1", 1), first]);
  });

  it("stores each sequence once and lists in order", async () => {
    const history = dynamoDbPaymentHistory(stack.documents, tables.paymentEvents);
    expect(await history.append(event("h1", 2))).toBe(true);
    expect(await history.append(event("h1", 1))).toBe(true);
    expect(await history.append({ ...event("h1", 1), eventId: "dup" })).toBe(false);
    expect((await history.list("h1")).map((e) => [e.sequence, e.eventId])).toEqual([
      [1, "evt-h1-1"],
      [2, "evt-h1-2"],
    ]);
    expect(await history.list("unknown")).toEqual([]);
  });
});

describe("card vault", () => {
  it("keeps the number encrypted and lets only the reference out", async () => {
    const vault = dynamoDbCardVault(stack.documents, tables.vault, Buffer.alloc(32, 7));
    const number = "4242424242424242";
    const { reference, write } = vault.seal({
      number,
      expiryMonth: 12,
      expiryYear: 2030,
      reduced: { last4: "4242", brand: "visa", expiry: "12/30", binCountry: "US" },
    });
    expect(await vault.describe(reference.cardToken)).toBeUndefined();
    expect(await writeTogether(stack.documents)([write])).toEqual({ committed: true });
    expect(reference).toMatchObject({
      cardLast4: "4242",
      cardBrand: "visa",
      cardExpiry: "12/30",
    });
    expect(reference.cardToken).toMatch(/^tok_[A-Za-z0-9]{24}$/);
    expect(await vault.describe(reference.cardToken)).toEqual(reference);
    expect(await vault.describe("tok_missing")).toBeUndefined();
    const items = await stack.documents.send(new ScanCommand({ TableName: tables.vault }));
    expect(JSON.stringify(items.Items)).not.toContain(number);
  });
});
