import { describe, expect, it } from "vitest";
import { createInitiationHandler } from "../../../consumers/initiation/initiate";
import { createPaymentsApiHandler } from "../../../consumers/payments-api/api";
import { CREATED_OUTBOX_VERSION } from "../../../consumers/persistence/ports/payments";
import { createEvent, type EventEnvelope } from "../../../core/events";
import type { Payment, PaymentConnection, PaymentEvent } from "../../../core/generated/graphql";
import { apiRequest, apiStackPerFile, cardInput } from "./support";

const env = apiStackPerFile();

const call = (tenantId: string, field: string, args: Record<string, unknown>, scopes?: string[]) =>
  createPaymentsApiHandler(env.ctx)(apiRequest(tenantId, field, args, scopes ? { scopes } : {}));
const dataOf = <T>(response: unknown): T => (response as { data: T }).data;

async function initiate(tenantId: string, key: string, amount = "10.00"): Promise<EventEnvelope> {
  const input = { ...cardInput(key, amount), currency: tenantId === "acme" ? "EUR" : "USD" };
  const response = await createInitiationHandler(env.ctx)(apiRequest(tenantId, "initiatePayment", { input }));
  const id = dataOf<Payment>(response).id;
  const event = env.publisher.published.find((e) => e.paymentId === id);
  if (!event) throw new Error("no PaymentInitiated");
  return event;
}

/** What the status consumer does with risk's verdict: history, then the row (clearing initiation's outbox). */
async function sendToReview(tenantId: string, initiated: EventEnvelope): Promise<EventEnvelope> {
  const stores = env.ctx.stores.forTenant(tenantId);
  const assessed = createEvent({
    type: "PaymentRiskAssessed",
    cause: initiated,
    data: { status: "IN_REVIEW", decision: "REVIEW", score: 70, reasons: ["amount_review"] },
  });
  await stores.history.append(assessed);
  await stores.payments.update(initiated.paymentId, {
    expect: { sequence: 1 },
    set: { status: "IN_REVIEW", sequence: 2, reason: "amount_review", updatedAt: assessed.occurredAt },
    clearOutbox: { version: CREATED_OUTBOX_VERSION },
  });
  return assessed;
}

describe("payment and paymentEvents", () => {
  it("returns the caller's payment, and null for another tenant's exactly as for an unknown id", async () => {
    const initiated = await initiate("acme", "q-1");
    const own = dataOf<Payment>(await call("acme", "payment", { id: initiated.paymentId }));
    expect(own).toMatchObject({ id: initiated.paymentId, status: "INITIATED", amount: "10.00" });
    const foreign = await call("globex", "payment", { id: initiated.paymentId });
    const missing = await call("globex", "payment", { id: "pay_does_not_exist" });
    expect(foreign).toEqual({ data: null });
    expect(foreign).toEqual(missing);
  });

  it("lists a payment's history in order; empty for foreign or unknown ids", async () => {
    const initiated = await initiate("acme", "q-2");
    const assessed = await sendToReview("acme", initiated);
    const events = dataOf<PaymentEvent[]>(
      await call("acme", "paymentEvents", { paymentId: initiated.paymentId }),
    );
    expect(events.map((e) => [e.type, e.sequence, e.status])).toEqual([
      ["PaymentInitiated", 1, "INITIATED"],
      ["PaymentRiskAssessed", 2, "IN_REVIEW"],
    ]);
    expect(events[1]?.causationId).toBe(initiated.eventId);
    expect(JSON.parse(events[1]?.data ?? "{}")).toEqual(assessed.data);
    // The Payment type masks parties; its history must not hand back what the mask hides.
    const first = JSON.parse(events[0]?.data ?? "{}");
    expect(first.payer).toEqual({
      name: "Ada Lovelace",
      country: "GB",
      maskedAccount: "**** 4242",
      cardLast4: "4242",
      cardBrand: "visa",
      cardExpiry: "12/30",
      // The issuer's country (BIN table), not the payer's: no card data.
      cardBinCountry: "US",
    });
    expect(initiated.data).toHaveProperty("payer.cardToken");
    expect(events[0]?.data).not.toMatch(/tok_|payerFingerprint/);
    expect(await call("globex", "paymentEvents", { paymentId: initiated.paymentId })).toEqual({ data: [] });
  });
});

describe("payments", () => {
  it("pages newest first through every payment with an opaque token", async () => {
    for (let i = 0; i < 5; i++) await initiate("globex", `page-${i}`);
    const seen: string[] = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const page: PaymentConnection = dataOf(await call("globex", "payments", { limit: 2, nextToken }));
      seen.push(...page.items.map((p) => p.id));
      nextToken = page.nextToken ?? null;
      pages++;
    } while (nextToken && pages < 10);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it("filters by status and type", async () => {
    const initiated = await initiate("acme", "f-1");
    await sendToReview("acme", initiated);
    const inReview = dataOf<PaymentConnection>(
      await call("acme", "payments", { filter: { status: "IN_REVIEW" } }),
    );
    expect(inReview.items.map((p) => p.id)).toContain(initiated.paymentId);
    expect(inReview.items.every((p) => p.status === "IN_REVIEW")).toBe(true);
    const sepa = dataOf<PaymentConnection>(
      await call("acme", "payments", { filter: { paymentType: "SEPA_CREDIT" } }),
    );
    expect(sepa.items).toEqual([]);
  });

  it("refuses a token of another tenant or another filter like a garbled one", async () => {
    await initiate("acme", "t-1");
    await initiate("acme", "t-2");
    const page = dataOf<PaymentConnection>(await call("acme", "payments", { limit: 1 }));
    expect(page.nextToken).toBeTruthy();
    const garbled = await call("acme", "payments", { limit: 1, nextToken: "bm9wZQ" });
    expect(garbled).toMatchObject({ error: { errorType: "ValidationError" } });
    expect(await call("globex", "payments", { limit: 1, nextToken: page.nextToken })).toEqual(garbled);
    expect(
      await call("acme", "payments", { limit: 1, nextToken: page.nextToken, filter: { status: "SETTLED" } }),
    ).toEqual(garbled);
  });

  it("validates limit and filter", async () => {
    expect(await call("acme", "payments", { limit: 0 })).toMatchObject({
      error: { errorType: "ValidationError" },
    });
    expect(await call("acme", "payments", { filter: { createdAfter: "yesterday" } })).toMatchObject({
      error: { errorType: "ValidationError" },
    });
    const reversed = { createdAfter: "2026-11-27T10:00:00Z", createdBefore: "2026-11-27T09:00:00+00:00" };
    expect(await call("acme", "payments", { filter: reversed })).toEqual({
      error: {
        errorType: "ValidationError",
        message: "filter.createdBefore: must not be before filter.createdAfter",
        errorInfo: { field: "filter.createdBefore" },
      },
    });
  });
});

describe("approvePayment / declinePayment", () => {
  it("approves a payment in review once: one PaymentReviewed, same answer on repeat", async () => {
    const initiated = await initiate("acme", "r-1");
    const assessed = await sendToReview("acme", initiated);
    env.publisher.published.length = 0;
    const first = await call("acme", "approvePayment", { id: initiated.paymentId, reason: "known customer" });
    expect(dataOf<Payment>(first)).toMatchObject({
      id: initiated.paymentId,
      status: "RISK_APPROVED",
      sequence: 3,
    });
    expect(env.publisher.published).toHaveLength(1);
    expect(env.publisher.published[0]).toMatchObject({
      type: "PaymentReviewed",
      sequence: 3,
      causationId: assessed.eventId,
      tenantId: "acme",
      data: { status: "RISK_APPROVED", decision: "APPROVE", reviewer: "tk_test", reason: "known customer" },
    });
    expect(await call("acme", "approvePayment", { id: initiated.paymentId, reason: "again" })).toEqual(first);
    expect(env.publisher.published).toHaveLength(1);
    expect(
      await call("acme", "declinePayment", { id: initiated.paymentId, reason: "changed mind" }),
    ).toMatchObject({
      error: { errorType: "InvalidState" },
    });
  });

  it("concurrent approvals of one payment emit one PaymentReviewed", async () => {
    const initiated = await initiate("acme", "r-race");
    await sendToReview("acme", initiated);
    env.publisher.published.length = 0;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        call("acme", "approvePayment", { id: initiated.paymentId, reason: "ok" }),
      ),
    );
    const approved = answers.filter((a) => "data" in a).map((a) => dataOf<Payment>(a));
    const waiting = answers.filter((a) => "error" in a && a.error.errorType === "IdempotencyInProgress");
    expect(approved.length).toBeGreaterThan(0);
    expect(approved.length + waiting.length).toBe(8);
    expect(approved.every((p) => p.status === "RISK_APPROVED" && p.sequence === 3)).toBe(true);
    expect(env.publisher.published.filter((e) => e.type === "PaymentReviewed")).toHaveLength(1);
  });

  it("declines, healing a failed publish on retry", async () => {
    const initiated = await initiate("acme", "r-2");
    await sendToReview("acme", initiated);
    env.publisher.published.length = 0;
    env.publisher.failNext(1);
    await expect(
      call("acme", "declinePayment", { id: initiated.paymentId, reason: "fraud ring" }),
    ).rejects.toThrow();
    const retried = await call("acme", "declinePayment", { id: initiated.paymentId, reason: "fraud ring" });
    expect(dataOf<Payment>(retried)).toMatchObject({ status: "DECLINED", reason: "fraud ring", sequence: 3 });
    expect(env.publisher.published.map((e) => e.type)).toEqual(["PaymentReviewed"]);
    expect((await env.ctx.stores.forTenant("acme").payments.get(initiated.paymentId))?.pendingEvents).toEqual(
      [],
    );
  });

  it("needs the review scope and a payment in review; a foreign id is NotFound like an unknown one", async () => {
    const initiated = await initiate("acme", "r-3");
    expect(
      await call("acme", "approvePayment", { id: initiated.paymentId, reason: "ok" }, [
        "payments:read",
        "payments:write",
      ]),
    ).toMatchObject({ error: { errorType: "Unauthorized" } });
    expect(await call("acme", "approvePayment", { id: initiated.paymentId, reason: "ok" })).toMatchObject({
      error: { errorType: "InvalidState" },
    });
    await sendToReview("acme", initiated);
    const foreign = await call("globex", "approvePayment", { id: initiated.paymentId, reason: "ok" });
    const unknown = await call("globex", "approvePayment", { id: "pay_nope", reason: "ok" });
    expect(foreign).toMatchObject({ error: { errorType: "NotFound" } });
    expect(foreign).toEqual(unknown);
    expect(
      await call("acme", "approvePayment", { id: initiated.paymentId, reason: "card 4242424242424242" }),
    ).toMatchObject({ error: { errorType: "ValidationError", errorInfo: { field: "reason" } } });
  });
});
