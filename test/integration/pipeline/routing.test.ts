// Execution routed through the processors on the real local servers (broker, dynalite,
// s3rver): the failover card settles with two attempts, a redelivery after a crash between
// the journal's start and the processor's answer does not charge again, and a processor
// switched down is skipped once its (shared, DynamoDB) breaker opens; a rule on the card's
// BIN country (from the BIN table at initiation) routes by the card, not the payer.
import { randomUUID } from "node:crypto";
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AttemptItem } from "../../../consumers/persistence/ports/attempts";
import { documentClient } from "../../../consumers/platform/aws";
import type { PayrailConfig } from "../../../core/config";
import type { InitiatePaymentInput } from "../../../core/generated/graphql";
import { FAILOVER_TEST_CARD, type Processor, sandboxProcessors } from "../../../core/processors";
import type { RoutingTable } from "../../../core/routing";
import { processorHealthTable, tenantTables } from "../../../core/storage/tables";
import { type Harness, startHarness } from "./harness";

/** acme's cards go to stripe first, checkout second (instead of its 70/30 split). */
function stripeThenCheckout(config: PayrailConfig, changes: Partial<PayrailConfig["routing"]> = {}) {
  const acme = config.routing.tenants.get("acme") as RoutingTable;
  const table: RoutingTable = {
    ...acme,
    rules: [
      {
        id: "stripe-first",
        match: { paymentTypes: ["CARD"] },
        target: { kind: "priority", processors: ["stripe_sandbox", "checkout_sandbox"] },
      },
    ],
  };
  const tenants = new Map(config.routing.tenants).set("acme", table);
  return { ...config, routing: { ...config.routing, tenants, ...changes } };
}

/** Before acme's rules: cards issued in Germany (BIN country DE) go to adyen only. */
function germanCardsToAdyen(config: PayrailConfig): PayrailConfig {
  const acme = config.routing.tenants.get("acme") as RoutingTable;
  const table: RoutingTable = {
    ...acme,
    rules: [
      {
        id: "german-cards",
        match: { paymentTypes: ["CARD"], binCountries: ["DE"] },
        target: { kind: "priority", processors: ["adyen_sandbox"] },
      },
      ...acme.rules,
    ],
  };
  return {
    ...config,
    routing: { ...config.routing, tenants: new Map(config.routing.tenants).set("acme", table) },
  };
}

const cardPayment = (number: string, reference = "order 42", country = "DE"): InitiatePaymentInput => ({
  idempotencyKey: `routing-${randomUUID()}`,
  paymentType: "CARD",
  amount: "12.50",
  currency: "EUR",
  payer: {
    name: "Ada Lovelace",
    country,
    card: { number, expiryMonth: 12, expiryYear: 2030, cvc: "123" },
  },
  reference,
});

async function start(h: Harness, input: InitiatePaymentInput): Promise<string> {
  const response = await h.initiate("acme", input);
  if (!("data" in response)) throw new Error(`initiation failed: ${JSON.stringify(response.error)}`);
  return (response.data as { id: string }).id;
}

async function attemptsOf(h: Harness, paymentId: string): Promise<AttemptItem[]> {
  const { Items = [] } = await documentClient({ endpoint: h.endpoints.dynamodb }).send(
    new QueryCommand({
      TableName: tenantTables("local", "acme").attempts,
      KeyConditionExpression: "paymentId = :p",
      ExpressionAttributeValues: { ":p": paymentId },
    }),
  );
  return Items as AttemptItem[];
}

describe("failover and redelivery", () => {
  const CRASH_REFERENCE = "crash after send";
  /** stripe_sandbox's real execute() calls per payment. */
  const stripeCalls = new Map<string, number>();
  let crashed = false;
  let h: Harness;

  beforeAll(async () => {
    vi.stubEnv("POWERTOOLS_LOG_LEVEL", "SILENT");
    h = await startHarness({
      configure: (config) => germanCardsToAdyen(stripeThenCheckout(config)),
      processors: (config) => {
        const registry = new Map(sandboxProcessors(config.routing.personalities));
        const stripe = registry.get("stripe_sandbox") as Processor;
        // The handler dies after stripe processed the charge, before its answer is recorded.
        registry.set("stripe_sandbox", {
          ...stripe,
          async execute(request, options) {
            stripeCalls.set(request.paymentId, (stripeCalls.get(request.paymentId) ?? 0) + 1);
            const outcome = await stripe.execute(request, options);
            if (request.reference === CRASH_REFERENCE && !crashed) {
              crashed = true;
              throw new Error("execution crashed between the call and recording its answer");
            }
            return outcome;
          },
        });
        return registry;
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
    vi.unstubAllEnvs();
  });

  it(`settles the failover card ${FAILOVER_TEST_CARD} with two attempts, on the second processor`, async () => {
    const id = await start(h, cardPayment(FAILOVER_TEST_CARD));
    await h.waitFor(id, "SETTLED");
    const attempts = await attemptsOf(h, id);
    expect(
      attempts.map(({ attemptId, processor, state, code }) => ({ attemptId, processor, state, code })),
    ).toEqual([
      { attemptId: `${id}#1`, processor: "stripe_sandbox", state: "SOFT_DECLINE", code: "do_not_honor" },
      { attemptId: `${id}#2`, processor: "checkout_sandbox", state: "APPROVED", code: undefined },
    ]);
    expect(attempts.every((a) => a.ruleId === "tenant:acme/stripe-first")).toBe(true);
    // "Retrying with another processor", as subscribers see it: the failed attempt, then the
    // processor tried next, the payment RISK_APPROVED all along.
    expect(
      h.updates.filter((u) => u.paymentId === id).map((u) => [u.eventType, u.status, u.reason ?? null]),
    ).toEqual([
      ["PaymentInitiated", "INITIATED", null],
      ["PaymentRiskAssessed", "RISK_APPROVED", null],
      ["PaymentAttemptFailed", "RISK_APPROVED", "do_not_honor"],
      ["PaymentRouted", "RISK_APPROVED", null],
      ["PaymentExecuted", "EXECUTED", null],
      ["PaymentSettled", "SETTLED", null],
    ]);
    const history = await h.stores.forTenant("acme").history.list(id);
    expect(history.map((e) => [e.sequence, e.type, e.schemaVersion])).toEqual([
      [1, "PaymentInitiated", 3],
      [2, "PaymentRiskAssessed", 1],
      [3, "PaymentAttemptFailed", 1],
      [4, "PaymentRouted", 1],
      [5, "PaymentExecuted", 2],
      [6, "PaymentSettled", 1],
    ]);
    // Payment.attempts is complete once the status service has the outcome: the first answer
    // went with the second start, the second with PaymentExecuted's record (above).
    expect(attempts.every((a) => typeof a.latencyMs === "number")).toBe(true);
    expect(attempts[1]?.processorReference).toBe(
      (history[4]?.data as { railReference?: string } | undefined)?.railReference,
    );
    expect(history[2]?.data).toEqual({
      status: "RISK_APPROVED",
      processor: "stripe_sandbox",
      attempt: 1,
      declineCode: "do_not_honor",
      declineClass: "SOFT",
      ruleId: "tenant:acme/stripe-first",
    });
    expect(history[3]?.data).toEqual({
      status: "RISK_APPROVED",
      processor: "checkout_sandbox",
      attempt: 2,
      ruleId: "tenant:acme/stripe-first",
    });
  });

  it("routes by the card's BIN country from the BIN table, not by the payer's country", async () => {
    // Stripe's German test card paid by a US payer; Stripe's US card by a German payer.
    const german = await start(h, cardPayment("4000002760000016", "order 43", "US"));
    const american = await start(h, cardPayment("4242424242424242", "order 44", "DE"));
    await Promise.all([h.waitFor(german, "SETTLED"), h.waitFor(american, "SETTLED")]);
    const routed = async (id: string) =>
      (await attemptsOf(h, id)).map(({ processor, ruleId }) => ({ processor, ruleId }));
    expect(await routed(german)).toEqual([
      { processor: "adyen_sandbox", ruleId: "tenant:acme/german-cards" },
    ]);
    expect(await routed(american)).toEqual([
      { processor: "stripe_sandbox", ruleId: "tenant:acme/stripe-first" },
    ]);
    // Only the country is kept of the card: on the row, never its number or BIN.
    const row = (await h.stores.forTenant("acme").payments.get(german))?.payment;
    expect(row?.payer).toMatchObject({ country: "US", cardBinCountry: "DE", cardLast4: "0016" });
    expect(JSON.stringify(row)).not.toMatch(/4000002760000016|40000027/);
  });

  it("settles the slow card with one attempt: its call is cut short, status() finds the charge", async () => {
    // Received at once, answered after 5 s: the harness's 1 s call timeout gives up first.
    const id = await start(h, cardPayment("4000000000000077"));
    await h.waitFor(id, "SETTLED");
    expect(stripeCalls.get(id)).toBe(1);
    const attempts = await attemptsOf(h, id);
    expect(attempts.map(({ processor, state }) => ({ processor, state }))).toEqual([
      { processor: "stripe_sandbox", state: "APPROVED" },
    ]);
  });

  it("does not charge again when the event is redelivered after a crash mid-attempt", async () => {
    const id = await start(h, cardPayment("4242424242424242", CRASH_REFERENCE));
    await h.waitFor(id, "SETTLED");
    expect(crashed).toBe(true);
    // The redelivery found attempt 1 STARTED and asked stripe's status() instead of calling.
    expect(stripeCalls.get(id)).toBe(1);
    const attempts = await attemptsOf(h, id);
    expect(attempts.map(({ processor, state }) => ({ processor, state }))).toEqual([
      { processor: "stripe_sandbox", state: "APPROVED" },
    ]);
    expect(attempts[0]?.processorReference).toMatch(/^stripe_sandbox_/);
    expect(h.updates.filter((u) => u.paymentId === id && u.status === "EXECUTED")).toHaveLength(1);
  });
});

describe("a processor switched down", () => {
  const MIN_REQUESTS = 3;
  let h: Harness;

  beforeAll(async () => {
    vi.stubEnv("POWERTOOLS_LOG_LEVEL", "SILENT");
    h = await startHarness({
      configure: (config) => {
        const stripe = config.routing.personalities.get("stripe_sandbox");
        if (!stripe) throw new Error("stripe_sandbox is configured");
        const personalities = new Map(config.routing.personalities).set("stripe_sandbox", {
          ...stripe,
          down: true,
        });
        // A small window minimum so the breaker opens after a few payments.
        const breaker = { ...config.routing.breaker, minRequests: MIN_REQUESTS };
        return stripeThenCheckout(config, { personalities, breaker });
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
    vi.unstubAllEnvs();
  });

  it("is skipped once its breaker opens, and the payments keep settling on the other one", async () => {
    const processorsTried: string[][] = [];
    // One at a time, so each payment sees the breaker its predecessors left.
    for (let i = 0; i < MIN_REQUESTS + 3; i++) {
      const id = await start(h, cardPayment("4242424242424242"));
      await h.waitFor(id, "SETTLED");
      processorsTried.push((await attemptsOf(h, id)).map((a) => `${a.processor} ${a.state}`));
    }
    const failedOver = ["stripe_sandbox SOFT_DECLINE", "checkout_sandbox APPROVED"];
    expect(processorsTried).toEqual([
      ...Array.from({ length: MIN_REQUESTS }, () => failedOver),
      ...Array.from({ length: 3 }, () => ["checkout_sandbox APPROVED"]),
    ]);
    const { Item } = await documentClient({ endpoint: h.endpoints.dynamodb }).send(
      new GetCommand({
        TableName: processorHealthTable("local"),
        Key: { processor: "stripe_sandbox", slot: 0 },
      }),
    );
    expect(Item?.status).toBe("open");
  });
});
