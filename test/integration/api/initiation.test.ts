import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it, vi } from "vitest";
import { type ApiContext, apiLambda } from "../../../consumers/api/context";
import { INTERNAL_ERROR } from "../../../consumers/api/contract";
import { createInitiationHandler } from "../../../consumers/initiation/initiate";
import { asWrite } from "../../../consumers/persistence/dynamodb/transaction";
import type { TenantStores } from "../../../consumers/persistence/stores";
import { relayTenants, startOutboxRelay } from "../../../consumers/pipeline/outbox-relay";
import type { Payment } from "../../../core/generated/graphql";
import { tenantTables } from "../../../core/storage/tables";
import { TEST_ENV } from "../persistence/local-stack";
import { apiRequest, apiStackPerFile, apiTestContext, CARD_NUMBER, cardInput, sepaInput } from "./support";

const env = apiStackPerFile();

const initiate = (tenantId: string, input: unknown, over = {}) =>
  createInitiationHandler(apiTestContext(env.stack, env.publisher, over))(
    apiRequest(tenantId, "initiatePayment", { input }),
  );

async function scan(table: string) {
  return (await env.stack.documents.send(new ScanCommand({ TableName: table }))).Items ?? [];
}

const paymentsWithKey = async (tenantId: string, key: string) =>
  (await scan(tenantTables(TEST_ENV, tenantId).payments)).filter((row) => row.idempotencyKey === key);

/** `ctx` with the tenant stores changed by `change`. */
function withStores(ctx: ApiContext, change: (stores: TenantStores) => Partial<TenantStores>): ApiContext {
  return {
    ...ctx,
    stores: {
      ...ctx.stores,
      forTenant: (tenantId: string) => {
        const stores = ctx.stores.forTenant(tenantId);
        return { ...stores, ...change(stores) };
      },
    },
  };
}

/**
 * An initiation whose process dies after writing the payment, before its event is out:
 * publishing fails and, as in a crash, no cleanup runs (the publishing window is kept).
 */
function crashBeforePublish(ctx: ApiContext, key: string) {
  const crashing = withStores(ctx, (stores) => ({
    idempotency: { ...stores.idempotency, endPublishing: async () => {} },
  }));
  env.publisher.failNext(1);
  return createInitiationHandler(crashing)(apiRequest("acme", "initiatePayment", { input: cardInput(key) }));
}

describe("initiatePayment", () => {
  it("tokenizes the card, stores the payment, publishes PaymentInitiated, then answers", async () => {
    const response = await initiate("acme", cardInput("card-1"));
    expect(response).toHaveProperty("data");
    const payment = (response as { data: Payment }).data;
    expect(payment).toMatchObject({
      status: "INITIATED",
      amount: "12.50",
      currency: "EUR",
      paymentType: "CARD",
      sequence: 1,
      correlationId: "corr-test-1",
      payer: { name: "Ada Lovelace", cardLast4: "4242", cardBrand: "visa", cardExpiry: "12/30" },
    });
    expect(env.publisher.published).toHaveLength(1);
    const [event] = env.publisher.published;
    expect(event).toMatchObject({
      type: "PaymentInitiated",
      tenantId: "acme",
      paymentId: payment.id,
      sequence: 1,
      causationId: null,
      correlationId: "corr-test-1",
      data: { amountMinor: "1250", currency: "EUR", status: "INITIATED" },
    });
    expect(event?.type === "PaymentInitiated" && event.data.payer.cardToken).toMatch(/^tok_/);

    const [row] = await paymentsWithKey("acme", "card-1");
    expect(row).toMatchObject({ paymentId: payment.id, amountMinor: "1250", status: "INITIATED" });
    // Pending until the status service, which sees the event in Kafka, clears it.
    expect(row?.outbox).toHaveLength(1);
    // The same transaction wrote the first history entry and the vault entry of the token.
    const history = await scan(tenantTables(TEST_ENV, "acme").paymentEvents);
    expect(history.filter((e) => e.paymentId === payment.id).map((e) => e.eventId)).toEqual([event?.eventId]);
    const vault = await scan(tenantTables(TEST_ENV, "acme").vault);
    const cardToken = event?.type === "PaymentInitiated" ? event.data.payer.cardToken : undefined;
    expect(vault.filter((v) => v.token === cardToken)).toHaveLength(1);
    const tables = Object.values(tenantTables(TEST_ENV, "acme"));
    const everything = JSON.stringify([
      ...(await Promise.all(tables.map(scan))),
      env.publisher.published,
      response,
    ]);
    expect(everything).not.toContain(CARD_NUMBER);
    expect(everything).not.toContain('"123"');
  });

  it("answers a repeated key with the first response and no second event", async () => {
    const first = await initiate("acme", cardInput("card-2"));
    const again = await initiate("acme", cardInput("card-2"), {});
    expect(again).toEqual(first);
    expect(env.publisher.published).toHaveLength(1);
    expect(await paymentsWithKey("acme", "card-2")).toHaveLength(1);
  });

  it("refuses the same key with a different payload, but ignores the correlation id", async () => {
    const first = await initiate("acme", cardInput("card-3"));
    const conflict = await initiate("acme", cardInput("card-3", "99.00"));
    expect(conflict).toMatchObject({ error: { errorType: "IdempotencyConflict" } });
    const sameButTraced = await initiate("acme", { ...cardInput("card-3"), correlationId: "other-trace" });
    expect(sameButTraced).toEqual(first);
  });

  it("replays a validation error for the same key and payload", async () => {
    const bad = { ...cardInput("card-4"), amount: "12.505" };
    const first = await initiate("acme", bad);
    expect(first).toMatchObject({
      error: { errorType: "ValidationError", errorInfo: { field: "input.amount" } },
    });
    expect(await initiate("acme", bad)).toEqual(first);
    expect(await initiate("acme", cardInput("card-4"))).toMatchObject({
      error: { errorType: "IdempotencyConflict" },
    });
    expect(env.publisher.published).toHaveLength(0);
  });

  it("refuses a card number used as idempotency key or correlation id", async () => {
    const asKey = await initiate("acme", cardInput(CARD_NUMBER));
    expect(asKey).toMatchObject({
      error: { errorType: "ValidationError", errorInfo: { field: "input.idempotencyKey" } },
    });
    const handler = createInitiationHandler(apiTestContext(env.stack, env.publisher));
    const asTrace = await handler(
      apiRequest(
        "acme",
        "initiatePayment",
        { input: cardInput("card-8") },
        { correlationId: `t-${CARD_NUMBER}` },
      ),
    );
    // Not in the input, so the resolver took it from the x-correlation-id header.
    expect(asTrace).toMatchObject({
      error: { errorType: "ValidationError", errorInfo: { field: "x-correlation-id" } },
    });
    expect(JSON.stringify([asKey, asTrace])).not.toContain(CARD_NUMBER);
    expect(env.publisher.published).toHaveLength(0);
  });

  it("takes a Luhn-valid timestamp key, which no card brand issues", async () => {
    const response = await initiate("acme", cardInput("order-1764720000009"));
    expect(response).toMatchObject({ data: { status: "INITIATED" } });
  });

  it("refuses a correlation id the event could not carry before writing anything", async () => {
    const handler = createInitiationHandler(apiTestContext(env.stack, env.publisher));
    const tooLong = apiRequest(
      "acme",
      "initiatePayment",
      { input: cardInput("card-long-trace") },
      {
        correlationId: "c".repeat(200),
      },
    );
    const expected = { error: { errorType: "ValidationError", errorInfo: { field: "x-correlation-id" } } };
    expect(await handler(tooLong)).toMatchObject(expected);
    // Refused before the key is claimed: a retry answers the same, and nothing was written.
    expect(await handler(tooLong)).toMatchObject(expected);
    expect(await paymentsWithKey("acme", "card-long-trace")).toHaveLength(0);
    expect(env.publisher.published).toHaveLength(0);
  });

  it("logs every line with tenant and correlation id, and never the card number", async () => {
    const lines: string[] = [];
    const capture = (chunk: string | Uint8Array) => lines.push(String(chunk)) > 0;
    const out = vi.spyOn(process.stdout, "write").mockImplementation(capture);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(capture);
    try {
      const handler = apiLambda("initiation", createInitiationHandler, async () =>
        apiTestContext(env.stack, env.publisher),
      );
      env.publisher.failNext(1);
      await handler(apiRequest("acme", "initiatePayment", { input: cardInput("card-log") }));
      await handler(apiRequest("acme", "initiatePayment", { input: cardInput("card-log") }));
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const entries = lines
      .join("")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(entries.map((e) => e.message)).toEqual(["request failed", "resuming an interrupted initiation"]);
    for (const entry of entries)
      expect(entry).toMatchObject({ tenantId: "acme", correlationId: "corr-test-1" });
    expect(entries[1]?.paymentId).toMatch(/^pay_/);
    expect(lines.join("")).not.toContain(CARD_NUMBER);
  });

  it("answers InternalError, not the cause, when the context cannot be built; the next call retries it", async () => {
    const quiet = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    let builds = 0;
    const handler = apiLambda("initiation", createInitiationHandler, async () => {
      builds++;
      if (builds === 1) throw new Error("KAFKA_BROKERS is not set");
      return apiTestContext(env.stack, env.publisher);
    });
    try {
      const failed = await handler(apiRequest("acme", "initiatePayment", { input: cardInput("card-boot") }));
      expect(failed).toEqual(INTERNAL_ERROR);
      const healed = await handler(apiRequest("acme", "initiatePayment", { input: cardInput("card-boot") }));
      expect(healed).toHaveProperty("data.status", "INITIATED");
    } finally {
      quiet.mockRestore();
    }
    expect(builds).toBe(2);
  });

  it("heals a failed publish on retry: same payment, its event published, one row", async () => {
    const handler = apiLambda("initiation", createInitiationHandler, async () =>
      apiTestContext(env.stack, env.publisher),
    );
    env.publisher.failNext(1);
    const failed = await handler(apiRequest("acme", "initiatePayment", { input: cardInput("card-5") }));
    expect(failed).toMatchObject({ error: { errorType: "InternalError" } });
    expect(env.publisher.published).toHaveLength(0);
    const [pendingRow] = await paymentsWithKey("acme", "card-5");
    expect(pendingRow?.outbox).toHaveLength(1);

    const healed = await handler(apiRequest("acme", "initiatePayment", { input: cardInput("card-5") }));
    const payment = (healed as { data: Payment }).data;
    expect(payment.id).toBe(pendingRow?.paymentId);
    expect(env.publisher.published.map((e) => [e.paymentId, e.sequence])).toEqual([[payment.id, 1]]);
    expect((await paymentsWithKey("acme", "card-5"))[0]?.outbox).toBeUndefined();
    expect(await initiate("acme", cardInput("card-5"))).toEqual(healed);
    expect(env.publisher.published).toHaveLength(1);
  });

  it("after a crash that released nothing, answers the payment, and publishes once the window lapses", async () => {
    let clock = Date.parse("2026-11-27T10:00:00Z");
    const base = apiTestContext(env.stack, env.publisher, {
      now: () => new Date(clock),
      inProgressMs: 5_000,
    });
    env.publisher.failNext(1);
    await expect(crashBeforePublish(base, "card-6")).rejects.toThrow("broker unreachable");
    const retry = () =>
      createInitiationHandler(base)(apiRequest("acme", "initiatePayment", { input: cardInput("card-6") }));
    // The payment exists and its event is in the outbox (the relay's to publish): the answer stands.
    expect(await retry()).toHaveProperty("data.status", "INITIATED");
    expect(env.publisher.published).toHaveLength(0);
    clock += 5_001;
    const healed = await retry();
    expect(healed).toHaveProperty("data.status", "INITIATED");
    expect(env.publisher.published).toHaveLength(1);
    expect(await paymentsWithKey("acme", "card-6")).toHaveLength(1);
  });

  it("publishes, through the relay, the event of a crashed request that is never retried", async () => {
    const base = apiTestContext(env.stack, env.publisher);
    env.publisher.failNext(1);
    await expect(crashBeforePublish(base, "card-7")).rejects.toThrow("broker unreachable");
    const relay = {
      paymentsOf: (tenantId: string) => base.stores.forTenant(tenantId).payments,
      publisher: env.publisher,
      tenantIds: () => ["acme", "globex"],
    };
    expect(await relayTenants({ ...relay, minAgeMs: 60_000 })).toBe(0);
    const relayed = startOutboxRelay({ ...relay, minAgeMs: 0, intervalMs: 20, onError: () => {} });
    await vi.waitFor(() => expect(env.publisher.published).not.toHaveLength(0), {
      timeout: 5_000,
      interval: 20,
    });
    await relayed.stop();
    const [row] = await paymentsWithKey("acme", "card-7");
    // Other tests' payments, whose outbox no status service cleared, go out too.
    const ofCrashed = env.publisher.published.filter((e) => e.paymentId === row?.paymentId);
    expect(ofCrashed.map((e) => e.type)).toEqual(["PaymentInitiated"]);
    expect(row?.outbox).toBeUndefined();
  });

  it("20 concurrent identical calls make exactly one payment and one event", async () => {
    const ctx = apiTestContext(env.stack, env.publisher);
    const handler = createInitiationHandler(ctx);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        handler(apiRequest("acme", "initiatePayment", { input: sepaInput("sepa-1") })),
      ),
    );
    const ok = responses.filter((r): r is { data: Payment } => "data" in r);
    const busy = responses.filter((r) => "error" in r && r.error.errorType === "IdempotencyInProgress");
    expect(ok.length + busy.length).toBe(20);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.data.id)).size).toBe(1);
    expect(env.publisher.published).toHaveLength(1);
    expect(await paymentsWithKey("acme", "sepa-1")).toHaveLength(1);
    expect(ok[0]?.data).toMatchObject({
      paymentType: "SEPA_CREDIT",
      amount: "100.00",
      metadata: '{"invoice":"A-1"}',
      payee: { name: "Bob", maskedAccount: "FR14 **** **** 2606" },
    });
  });

  it("leaves no vault entry, record or payment when its transaction is refused", async () => {
    const tables = tenantTables(TEST_ENV, "acme");
    const vaultBefore = (await scan(tables.vault)).length;
    // A last write whose condition fails on the real server cancels the whole transaction.
    const refusing = withStores(apiTestContext(env.stack, env.publisher), (stores) => ({
      writeTogether: (writes) =>
        stores.writeTogether([
          ...writes,
          asWrite({
            ConditionCheck: {
              TableName: tables.idempotency,
              Key: { key: "no-such-key" },
              ConditionExpression: "attribute_exists(#key)",
              ExpressionAttributeNames: { "#key": "key" },
            },
          }),
        ]),
    }));
    const quiet = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      await expect(
        createInitiationHandler(refusing)(
          apiRequest("acme", "initiatePayment", { input: cardInput("card-refused") }),
        ),
      ).rejects.toThrow("refused");
    } finally {
      quiet.mockRestore();
    }
    expect(await paymentsWithKey("acme", "card-refused")).toHaveLength(0);
    expect((await scan(tables.idempotency)).filter((r) => r.key === "card-refused")).toHaveLength(0);
    expect(await scan(tables.vault)).toHaveLength(vaultBefore);
    expect(env.publisher.published).toHaveLength(0);
  });

  it("makes one vault entry for the same key sent twice at once", async () => {
    const vault = tenantTables(TEST_ENV, "acme").vault;
    const before = (await scan(vault)).length;
    const handler = createInitiationHandler(apiTestContext(env.stack, env.publisher));
    const [a, b] = await Promise.all(
      [1, 2].map(() => handler(apiRequest("acme", "initiatePayment", { input: cardInput("card-twice") }))),
    );
    expect(a).toEqual(b);
    expect(await scan(vault)).toHaveLength(before + 1);
    expect(await paymentsWithKey("acme", "card-twice")).toHaveLength(1);
    expect(env.publisher.published).toHaveLength(1);
  });

  it("keeps tenants apart: the same key in another tenant is another payment", async () => {
    const acme = (await initiate("acme", cardInput("shared-key"))) as { data: Payment };
    const globex = (await initiate("globex", { ...cardInput("shared-key"), currency: "USD" })) as {
      data: Payment;
    };
    expect(globex.data.id).not.toBe(acme.data.id);
    expect(env.publisher.published.map((e) => e.tenantId)).toEqual(["acme", "globex"]);
  });

  it("needs the write scope and a provisioned tenant from the identity", async () => {
    const handler = createInitiationHandler(apiTestContext(env.stack, env.publisher));
    const readOnly = await handler(
      apiRequest("acme", "initiatePayment", { input: cardInput("k") }, { scopes: ["payments:read"] }),
    );
    expect(readOnly).toMatchObject({ error: { errorType: "Unauthorized" } });
    const unknown = await handler(apiRequest("initech", "initiatePayment", { input: cardInput("k") }));
    expect(unknown).toMatchObject({ error: { errorType: "Unauthorized" } });
    const forged = await handler(apiRequest("../acme", "initiatePayment", { input: cardInput("k") }));
    expect(forged).toMatchObject({ error: { errorType: "Unauthorized" } });
    expect(env.publisher.published).toHaveLength(0);
  });
});
