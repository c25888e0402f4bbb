import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadRegions, type RegionConfig } from "../../../core/config";
import { partyData } from "../../../core/events";
import type { InitiatePaymentInput } from "../../../core/generated/graphql";
import { validatePaymentInput } from "../../../core/payment-methods";
import {
  RAIL_NAMES,
  type RailRequest,
  railAdapterFor,
  SANDBOX_CAPTURE_TRIGGERS,
  SANDBOX_REFUND_TRIGGERS,
  SANDBOX_TRIGGERS,
  sandboxRailAdapter,
  sandboxRailRegistry,
} from "../../../core/rails";

const NOW = new Date("2026-11-27T05:00:00Z");

/** Goes the way a real payment does: validated input → event party data → rail request. */
function request(input: Omit<InitiatePaymentInput, "idempotencyKey">, paymentId = "pay_1"): RailRequest {
  const valid = validatePaymentInput({ idempotencyKey: "k", ...input }, NOW);
  return {
    tenantId: "acme",
    paymentId,
    correlationId: "c1",
    idempotencyKey: "evt_1",
    paymentType: valid.paymentType,
    amount: valid.amount,
    payer: partyData(valid.payer, "tok_sandbox"),
    payee: valid.payee ? partyData(valid.payee) : null,
    reference: valid.reference,
  };
}

const cardPayment = (number: string, amount = "12.50") =>
  request({
    amount,
    currency: "EUR",
    paymentType: "CARD",
    payer: { name: "Ana", card: { number, expiryMonth: 12, expiryYear: 2030, cvc: "123" } },
  });

const sepaPayment = (iban: string, amount = "12.50") =>
  request({
    amount,
    currency: "EUR",
    paymentType: "SEPA_CREDIT",
    payer: { name: "A", sepa: { iban: "DE89370400440532013000" } },
    payee: { name: "B", sepa: { iban } },
  });

describe("card sandbox (big-processor test cards, keyed by last four)", () => {
  const card = sandboxRailAdapter("card");

  it.each([
    ["4000000000000002", { status: "failed", code: "card_declined" }],
    ["4000000000009995", { status: "failed", code: "insufficient_funds" }],
    ["4000000000000069", { status: "failed", code: "expired_card" }],
    ["4000000000000119", { status: "transient", code: "processing_error" }],
  ])("%s → %j", async (number, outcome) => {
    expect(await card.execute(cardPayment(number))).toEqual(outcome);
  });

  it("4242424242424242 succeeds with a reference stable per payment", async () => {
    const first = await card.execute(cardPayment("4242424242424242"));
    expect(first).toMatchObject({
      status: "succeeded",
      railReference: expect.stringMatching(/^card_[0-9a-f]{20}$/),
    });
    expect(await card.execute(cardPayment("4242424242424242"))).toEqual(first);
    const other = await card.execute(request({ ...cardInputOf("4242424242424242") }, "pay_2"));
    expect(other).not.toEqual(first);
  });

  it("ignores the amount triggers of account rails", async () => {
    expect((await card.execute(cardPayment("4242424242424242", "10.99"))).status).toBe("succeeded");
  });
});

function cardInputOf(number: string): Omit<InitiatePaymentInput, "idempotencyKey"> {
  return {
    amount: "1.00",
    currency: "EUR",
    paymentType: "CARD",
    payer: { name: "Ana", card: { number, expiryMonth: 12, expiryYear: 2030, cvc: "123" } },
  };
}

describe("account rails", () => {
  it("SEPA: IBAN ending 9999 fails, amounts ending 13 / 99 are transient / account_closed", async () => {
    const sepa = sandboxRailAdapter("sepa");
    expect(await sepa.execute(sepaPayment("DE72370400440532019999"))).toEqual({
      status: "failed",
      code: "invalid_account",
    });
    expect(await sepa.execute(sepaPayment("NL91ABNA0417164300", "10.13"))).toEqual({
      status: "transient",
      code: "timeout",
    });
    expect(await sepa.execute(sepaPayment("NL91ABNA0417164300", "10.99"))).toEqual({
      status: "failed",
      code: "account_closed",
    });
    expect((await sepa.execute(sepaPayment("NL91ABNA0417164300", "10.00"))).status).toBe("succeeded");
  });

  it("ACH: Stripe-style test accounts", async () => {
    const ach = sandboxRailAdapter("ach");
    const pay = (accountNumber: string) =>
      request({
        amount: "5.00",
        currency: "USD",
        paymentType: "ACH",
        payer: { name: "A", ach: { routingNumber: "011000015", accountNumber: "000123456789" } },
        payee: { name: "B", ach: { routingNumber: "021000021", accountNumber } },
      });
    expect(await ach.execute(pay("000111111113"))).toEqual({ status: "failed", code: "account_closed" });
    expect(await ach.execute(pay("000111111116"))).toEqual({ status: "failed", code: "no_account" });
    expect(await ach.execute(pay("000222222227"))).toEqual({ status: "failed", code: "insufficient_funds" });
    expect((await ach.execute(pay("000123456789"))).status).toBe("succeeded");
  });

  it("PIX, UPI and Faster Payments have their own failing payees", async () => {
    const pix = request({
      amount: "5.00",
      currency: "BRL",
      paymentType: "PIX",
      payer: { name: "A", pix: { key: "+5561988887777" } },
      payee: { name: "B", pix: { key: "unknown@sandbox.payrail.dev" } },
    });
    expect(await sandboxRailAdapter("pix").execute(pix)).toEqual({
      status: "failed",
      code: "pix_key_not_found",
    });
    const upi = request({
      amount: "5.00",
      currency: "INR",
      paymentType: "UPI",
      payer: { name: "A", upi: { vpa: "asha@okaxis" } },
      payee: { name: "B", upi: { vpa: "fail@sandbox" } },
    });
    expect(await sandboxRailAdapter("upi").execute(upi)).toEqual({ status: "failed", code: "vpa_not_found" });
    const fps = request({
      amount: "5.13",
      currency: "GBP",
      paymentType: "FASTER_PAYMENTS",
      payer: { name: "A", fasterPayments: { sortCode: "12-34-56", accountNumber: "12345678" } },
      payee: { name: "B", fasterPayments: { sortCode: "00-00-00", accountNumber: "87654321" } },
    });
    expect(await sandboxRailAdapter("fps").execute(fps)).toEqual({
      status: "failed",
      code: "unknown_sort_code",
    });
  });
});

describe("registry", () => {
  let regions: Map<string, RegionConfig>;
  beforeAll(async () => {
    regions = await loadRegions("config");
  });

  it("chooses the adapter named by the region's config", () => {
    const registry = sandboxRailRegistry();
    const eu = regions.get("eu") as RegionConfig;
    expect(railAdapterFor(registry, eu, "SEPA_CREDIT")?.name).toBe("sepa");
    expect(railAdapterFor(registry, eu, "CARD")?.name).toBe("card");
    expect(railAdapterFor(registry, eu, "ACH")).toBeUndefined();
    expect(railAdapterFor(registry, regions.get("uk") as RegionConfig, "FASTER_PAYMENTS")?.name).toBe("fps");
    expect([...registry.keys()]).toEqual([...RAIL_NAMES]);
  });

  it("every sandbox trigger is documented in docs/core.md", () => {
    const docs = readFileSync("docs/core.md", "utf8");
    for (const [rail, triggers] of Object.entries(SANDBOX_TRIGGERS)) {
      for (const trigger of triggers) {
        expect(docs, `${rail}: ${trigger.when}`).toContain(
          `| ${rail} | ${trigger.when} | ${trigger.outcome.status} \`${trigger.outcome.code}\` |`,
        );
      }
    }
    for (const [rail, triggers] of Object.entries(SANDBOX_CAPTURE_TRIGGERS)) {
      for (const trigger of triggers ?? []) {
        expect(docs).toContain(
          `| capture | ${rail} | ${trigger.when} | ${trigger.outcome.status} \`${trigger.outcome.code}\` |`,
        );
      }
    }
    for (const trigger of SANDBOX_REFUND_TRIGGERS) {
      expect(docs).toContain(
        `| refund | every rail | ${trigger.when} | ${trigger.outcome.status} \`${trigger.outcome.code}\` |`,
      );
    }
  });

  it("authorizes the capture-declined card, declines its capture, and fails refunds ending in 77", async () => {
    const card = sandboxRailAdapter("card");
    const held = cardPayment("4000000000000341");
    const hold = await card.authorize(held);
    expect(hold.status).toBe("succeeded");
    const followUp = { ...held, railReference: "card_hold" };
    expect(await card.capture(followUp)).toEqual({ status: "failed", code: "card_declined" });
    expect((await card.capture({ ...cardPayment("4242424242424242"), railReference: "x" })).status).toBe(
      "succeeded",
    );
    expect(await card.void(followUp)).toEqual({ status: "succeeded", railReference: "card_hold" });
    const refund = { ...cardPayment("4242424242424242", "5.77"), railReference: "x", refundId: "ref_1" };
    expect(await card.refund(refund)).toEqual({ status: "transient", code: "refund_failed" });
    expect(
      (await card.refund({ ...refund, amount: cardPayment("4242424242424242", "5.76").amount })).status,
    ).toBe("succeeded");
  });
});
