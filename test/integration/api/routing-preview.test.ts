// routingPreview as a partner calls it: HTTP → AppSync emulator → Lambda authorizer →
// APPSYNC_JS → payments-api → the planner over config/routing. It answers the processors
// in order with the rule that chose them, for the caller's tenant, and stores nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payrailApi } from "../../../api/definition";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { startWiredStack } from "./support";

let wired: Awaited<ReturnType<typeof startWiredStack>>;
let emulator: AppSyncEmulator;

beforeAll(async () => {
  wired = await startWiredStack();
  emulator = await startAppSyncEmulator({ api: payrailApi, port: 0, logger: () => {} });
});
afterAll(async () => {
  await emulator?.stop();
  await wired?.stop();
});

type Answer = {
  data?: { routingPreview?: unknown } | null;
  errors?: { errorType?: string; message: string }[];
};

async function preview(token: string, input: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(emulator.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: token },
    body: JSON.stringify({
      query: `query ($input: RoutingPreviewInput!) {
        routingPreview(input: $input) {
          ruleId processors { processor weight fee } skipped { processor reason } maxAttempts maxTotalMs
        }
      }`,
      variables: { input },
    }),
  });
  return (await response.json()) as Answer;
}

describe("routingPreview through the AppSync emulator", () => {
  it("answers acme's rule, processors in order with fees, and its budget", async () => {
    const amex = await preview(wired.tokens.acme, {
      amount: "12.50",
      currency: "EUR",
      paymentType: "CARD",
      cardBrand: "amex",
      binCountry: "DE",
    });
    expect(amex.errors).toBeUndefined();
    expect(amex.data?.routingPreview).toEqual({
      ruleId: "tenant:acme/amex-to-adyen",
      processors: [
        { processor: "adyen_sandbox", weight: null, fee: "0.26" },
        { processor: "stripe_sandbox", weight: null, fee: "0.44" },
      ],
      skipped: [],
      maxAttempts: 3,
      maxTotalMs: 8000,
    });
    const split = await preview(wired.tokens.acme, {
      amount: "12.50",
      currency: "EUR",
      paymentType: "CARD",
      cardBrand: "visa",
    });
    expect(split.data?.routingPreview).toMatchObject({
      ruleId: "tenant:acme/card-split",
      processors: [
        { processor: "stripe_sandbox", weight: 70 },
        { processor: "checkout_sandbox", weight: 30 },
      ],
    });
  });

  it("looks a BIN up in the BIN table for the brand and BIN country, without a card number", async () => {
    // 378282: Stripe's US amex test range; no cardBrand given, the table's brand decides.
    const amex = await preview(wired.tokens.acme, {
      amount: "12.50",
      currency: "EUR",
      paymentType: "CARD",
      bin: "378282",
    });
    expect(amex.errors).toBeUndefined();
    expect(amex.data?.routingPreview).toMatchObject({ ruleId: "tenant:acme/amex-to-adyen" });
    // A BIN the table does not list routes like a card without BIN country.
    const unknown = await preview(wired.tokens.acme, {
      amount: "12.50",
      currency: "EUR",
      paymentType: "CARD",
      bin: "41111111",
      cardBrand: "visa",
    });
    expect(unknown.data?.routingPreview).toMatchObject({ ruleId: "tenant:acme/card-split" });
  });

  it("routes the same input by the caller's tenant: globex falls back to its region", async () => {
    const answer = await preview(wired.tokens.globex, {
      amount: "5.00",
      currency: "USD",
      paymentType: "CARD",
      cardBrand: "maestro",
    });
    expect(answer.data?.routingPreview).toMatchObject({
      ruleId: "region:us/default",
      processors: [{ processor: "adyen_sandbox" }],
      skipped: [
        { processor: "stripe_sandbox", reason: "does not take maestro" },
        { processor: "checkout_sandbox", reason: "does not take maestro" },
      ],
      maxTotalMs: 10000,
    });
  });

  it("refuses bad input with a ValidationError naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ amount: "12.505", currency: "EUR", paymentType: "CARD" }, "input.amount"],
      [
        { amount: "12.50", currency: "EUR", paymentType: "CARD", cardBrand: "visa-electron" },
        "input.cardBrand",
      ],
      [{ amount: "12.50", currency: "EUR", paymentType: "CARD", binCountry: "Germany" }, "input.binCountry"],
      [{ amount: "12.50", currency: "EUR", paymentType: "CARD", metadata: "[1]" }, "input.metadata"],
      [{ amount: "12.50", currency: "EUR", paymentType: "CARD", bin: "4242" }, "input.bin"],
      [{ amount: "12.50", currency: "EUR", paymentType: "CARD", bin: "42424242424242" }, "input.bin"],
      [
        { amount: "12.50", currency: "EUR", paymentType: "CARD", bin: "424242", binCountry: "US" },
        "input.binCountry",
      ],
    ];
    for (const [input, field] of cases) {
      const answer = await preview(wired.tokens.acme, input);
      expect(answer.errors?.map((e) => e.errorType)).toEqual(["ValidationError"]);
      expect(answer.errors?.[0]?.message).toContain(field);
    }
  });
});
