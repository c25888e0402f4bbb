import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoDbPaymentHistory } from "../../../consumers/persistence/history";
import {
  type ApiResponse,
  type IdempotencyRecord,
  IdempotencyRecordExists,
  idempotent,
} from "../../../consumers/persistence/idempotency";
import { dynamoDbIdempotencyStore } from "../../../consumers/persistence/idempotency-dynamodb";
import { type OutboxEvent, relayOutbox } from "../../../consumers/persistence/outbox";
import { dynamoDbPaymentRepository, type PaymentRecord } from "../../../consumers/persistence/payments";
import { dynamoDbCardVault } from "../../../consumers/persistence/vault";
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

describe("idempotency store on DynamoDB", () => {
  const store = () => dynamoDbIdempotencyStore(stack.documents, tables.idempotency);
  const base: IdempotencyRecord = {
    key: "k1",
    status: "IN_PROGRESS",
    payloadHash: "h",
    resourceId: "pay_a",
    expiresAt: 2_000_000_000,
    inProgressUntil: Date.now() + 60_000,
  };

  it("lets one claim win and shows the loser the winner's record", async () => {
    await store().claim(base, 1_000);
    const second = store().claim({ ...base, resourceId: "pay_b" }, 1_000);
    await expect(second).rejects.toBeInstanceOf(IdempotencyRecordExists);
    await second.catch((error: IdempotencyRecordExists) => expect(error.existing.resourceId).toBe("pay_a"));
  });

  it("treats an expired record as absent", async () => {
    await store().claim({ ...base, key: "k2", expiresAt: 500 }, 400);
    await store().claim({ ...base, key: "k2", resourceId: "pay_new" }, 600);
    await expect(store().claim(base, 600)).rejects.toBeInstanceOf(IdempotencyRecordExists);
  });

  it("takes over only the exact abandoned claim", async () => {
    await store().claim({ ...base, key: "k3", inProgressUntil: 5 }, 1_000);
    expect(await store().takeOver("k3", 4, 100)).toBe(false);
    expect(await store().takeOver("k3", 5, 100)).toBe(true);
    expect(await store().takeOver("k3", 5, 200)).toBe(false);
  });

  it("runs work once, replays its response, and releases on a throw so the retry resumes", async () => {
    let runs = 0;
    const options = { key: "k4", payloadHash: "h", ttlSeconds: 0, inProgressMs: 60_000 };
    const ids = ["pay_first", "pay_second", "pay_third"];
    const work = async (attempt: { resourceId: string; resumed: boolean }): Promise<ApiResponse> => {
      runs++;
      if (runs === 1) throw new Error("crash after write");
      return { data: attempt };
    };
    await expect(
      idempotent(store(), { ...options, newResourceId: () => ids[0] ?? "" }, work),
    ).rejects.toThrow();
    const healed = await idempotent(store(), { ...options, newResourceId: () => ids[1] ?? "" }, work);
    expect(healed).toEqual({ data: { resourceId: "pay_first", resumed: true } });
    const replay = await idempotent(store(), { ...options, newResourceId: () => ids[2] ?? "" }, work);
    expect(replay).toEqual(healed);
    expect(runs).toBe(2);
    const conflict = await idempotent(
      store(),
      { ...options, payloadHash: "other", newResourceId: () => "x" },
      work,
    );
    expect(conflict).toMatchObject({ error: { errorType: "IdempotencyConflict" } });
  });

  it("releases the claim when storing the response fails, so the retry resumes the same resource", async () => {
    const options = { key: "k5", payloadHash: "h", ttlSeconds: 0, inProgressMs: 60_000 };
    const failingComplete = {
      ...store(),
      complete: async () => {
        throw new Error("throttled");
      },
    };
    const work = async (attempt: { resourceId: string; resumed: boolean }): Promise<ApiResponse> => ({
      data: attempt,
    });
    await expect(
      idempotent(failingComplete, { ...options, newResourceId: () => "pay_one" }, work),
    ).rejects.toThrow("throttled");
    const retried = await idempotent(store(), { ...options, newResourceId: () => "pay_two" }, work);
    expect(retried).toEqual({ data: { resourceId: "pay_one", resumed: true } });
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

  it("lists newest first by status, type and time, page by page", async () => {
    const created = ["2026-02-01T00:00:00.000Z", "2026-02-02T00:00:00.000Z", "2026-02-03T00:00:00.000Z"];
    await repo().create(payment("l1", { createdAt: created[0], paymentType: "SEPA_CREDIT" }), []);
    await repo().create(payment("l2", { createdAt: created[1], status: "SETTLED" }), []);
    await repo().create(payment("l3", { createdAt: created[2] }), []);
    const ids = (items: PaymentRecord[]) => items.map((p) => p.paymentId);

    const first = await repo().list({ createdAfter: "2026-01-31T00:00:00Z" }, 2);
    expect(ids(first.items)).toEqual(["l3", "l2"]);
    const second = await repo().list({ createdAfter: "2026-01-31T00:00:00Z" }, 2, first.lastKey);
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
    const reference = await vault.tokenize({
      number,
      expiryMonth: 12,
      expiryYear: 2030,
      reduced: { last4: "4242", brand: "visa", expiry: "12/30" },
    });
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
