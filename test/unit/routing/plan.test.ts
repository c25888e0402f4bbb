// Rule matching, the volume split and the planner over the repository's config, and the
// routing documents' validation (file and field on every error).
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseProcessorsConfig, parseRoutingTable } from "../../../core/config";
import type { PaymentType } from "../../../core/generated/graphql";
import { planRoute, type RoutingInput, type RuleMatch, ruleMatches, splitOrder } from "../../../core/routing";
import { thrown } from "../core/thrown";

const config = await loadConfig("config");
const routing = config.routing;

const input = (overrides: Partial<RoutingInput> = {}): RoutingInput => ({
  paymentId: "pay_1",
  paymentType: "CARD",
  amount: { minor: 1250n, currency: "EUR" },
  cardBrand: "visa",
  binCountry: "DE",
  payerCountry: "DE",
  metadata: null,
  ...overrides,
});

describe("rule matching", () => {
  it("requires every field it names; lists are any-of", () => {
    const match: RuleMatch = {
      paymentTypes: ["CARD"],
      currencies: ["EUR", "GBP"],
      amountMinor: { min: 1000n, max: 5000n },
      cardBrands: ["visa"],
      binCountries: ["DE", "FR"],
      payerCountries: ["DE"],
      metadataKeys: ["vip"],
    };
    const vip = input({ metadata: { vip: true } });
    expect(ruleMatches(match, vip)).toBe(true);
    expect(ruleMatches(match, { ...vip, metadata: {} })).toBe(false);
    expect(ruleMatches(match, { ...vip, amount: { minor: 5001n, currency: "EUR" } })).toBe(false);
    expect(ruleMatches(match, { ...vip, amount: { minor: 1000n, currency: "GBP" } })).toBe(true);
    expect(ruleMatches(match, { ...vip, cardBrand: "amex" })).toBe(false);
    expect(ruleMatches(match, { ...vip, binCountry: null })).toBe(false);
    expect(ruleMatches(match, { ...vip, paymentType: "SEPA_CREDIT" })).toBe(false);
    expect(ruleMatches({}, vip)).toBe(true);
  });

  it("property: a match is the conjunction of its fields", () => {
    const brands = ["visa", "mastercard", "amex"];
    const countries = ["DE", "FR", "US"];
    const arbitraryMatch = fc.record(
      {
        currencies: fc.subarray(["EUR", "USD"], { minLength: 1 }),
        cardBrands: fc.subarray(brands, { minLength: 1 }),
        binCountries: fc.subarray(countries, { minLength: 1 }),
        amountMinor: fc.record({ min: fc.bigInt(0n, 5000n) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    );
    const arbitraryInput = fc.record({
      currency: fc.constantFrom("EUR", "USD"),
      brand: fc.constantFrom(...brands),
      country: fc.constantFrom(...countries),
      minor: fc.bigInt(0n, 10_000n),
    });
    fc.assert(
      fc.property(arbitraryMatch, arbitraryInput, (match, p) => {
        const payment = input({
          amount: { minor: p.minor, currency: p.currency },
          cardBrand: p.brand,
          binCountry: p.country,
        });
        const expected =
          (match.currencies?.includes(p.currency) ?? true) &&
          (match.cardBrands?.includes(p.brand) ?? true) &&
          (match.binCountries?.includes(p.country) ?? true) &&
          (match.amountMinor?.min === undefined || p.minor >= match.amountMinor.min);
        expect(ruleMatches(match, payment)).toBe(expected);
      }),
    );
  });
});

describe("volume split", () => {
  it("sends 70/30 within ±1% over 100,000 payments, the same way on every redelivery", () => {
    const split = [
      { processor: "stripe_sandbox", weight: 70 },
      { processor: "checkout_sandbox", weight: 30 },
    ];
    let stripeFirst = 0;
    let incomplete = 0;
    for (let i = 0; i < 100_000; i++) {
      const order = splitOrder(split, "card-split", `pay_${i}`);
      if (order[0] === "stripe_sandbox") stripeFirst += 1;
      if (order.length !== 2) incomplete += 1;
    }
    expect(incomplete).toBe(0);
    expect(Math.abs(stripeFirst / 100_000 - 0.7)).toBeLessThan(0.01);
    expect(splitOrder(split, "card-split", "pay_7")).toEqual(splitOrder(split, "card-split", "pay_7"));
  });

  it("property: any weights are honoured within ±1% over 100k draws, every processor listed once", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 4 }), (weights) => {
        const split = weights.map((weight, i) => ({ processor: `p${i}`, weight }));
        const total = weights.reduce((a, b) => a + b, 0);
        const firsts = new Map<string, number>();
        let incomplete = 0;
        for (let i = 0; i < 100_000; i++) {
          const order = splitOrder(split, "rule", `pay_${i}`);
          if (new Set(order).size !== split.length) incomplete += 1;
          firsts.set(order[0] ?? "", (firsts.get(order[0] ?? "") ?? 0) + 1);
        }
        expect(incomplete).toBe(0);
        split.forEach(({ processor, weight }) => {
          expect(Math.abs((firsts.get(processor) ?? 0) / 100_000 - weight / total)).toBeLessThan(0.01);
        });
      }),
      { numRuns: 5 },
    );
  });
});

describe("planner over config/routing", () => {
  it("takes the tenant's first matching rule and says which", () => {
    expect(planRoute(routing, "acme", "eu", input({ cardBrand: "amex" }))).toMatchObject({
      ruleId: "tenant:acme/amex-to-adyen",
      processors: ["adyen_sandbox", "stripe_sandbox"],
      budget: { maxAttempts: 3, maxTotalMs: 8000 },
    });
    expect(
      planRoute(routing, "acme", "eu", input({ amount: { minor: 50_000n, currency: "EUR" } })),
    ).toMatchObject({
      ruleId: "tenant:acme/large-eur-cards",
      processors: ["adyen_sandbox", "checkout_sandbox", "stripe_sandbox"],
    });
    expect(planRoute(routing, "acme", "eu", input()).ruleId).toBe("tenant:acme/card-split");
  });

  it("falls back to the region's default, and skips a processor that cannot take the payment", () => {
    expect(
      planRoute(routing, "acme", "eu", input({ paymentType: "SEPA_CREDIT", cardBrand: null })),
    ).toMatchObject({
      ruleId: "region:eu/default",
      processors: ["sepa_nordbank_sandbox", "sepa_sudbank_sandbox"],
      budget: { maxAttempts: 3, maxTotalMs: 8000 },
    });
    const maestro = planRoute(
      routing,
      "globex",
      "us",
      input({ cardBrand: "maestro", amount: { minor: 100n, currency: "USD" } }),
    );
    expect(maestro).toMatchObject({
      ruleId: "region:us/default",
      processors: ["adyen_sandbox"],
      skipped: [
        { processor: "stripe_sandbox", reason: "does not take maestro" },
        { processor: "checkout_sandbox", reason: "does not take maestro" },
      ],
      budget: { maxAttempts: 3, maxTotalMs: 10000 },
    });
    const ach = planRoute(
      routing,
      "globex",
      "us",
      input({ paymentType: "ACH", payerCountry: "CA", amount: { minor: 100n, currency: "USD" } }),
    );
    expect(ach.processors).toEqual([]);
    expect(ach.skipped.map((s) => s.reason)).toEqual(["does not serve CA", "does not serve CA"]);
  });

  it("property: a plan never lists a processor twice nor one that cannot take the payment", () => {
    const types: PaymentType[] = ["CARD", "SEPA_CREDIT", "ACH"];
    fc.assert(
      fc.property(
        fc.constantFrom("acme", "globex"),
        fc.constantFrom(...types),
        fc.constantFrom("EUR", "USD", "GBP"),
        fc.bigInt(1n, 10_000_000n),
        fc.constantFrom("visa", "amex", "maestro", "jcb"),
        fc.string(),
        (tenant, paymentType, currency, minor, brand, paymentId) => {
          const region = tenant === "acme" ? "eu" : "us";
          const plan = planRoute(
            routing,
            tenant,
            region,
            input({ paymentId, paymentType, amount: { minor, currency }, cardBrand: brand }),
          );
          expect(new Set(plan.processors).size).toBe(plan.processors.length);
          for (const name of plan.processors) {
            const personality = routing.personalities.get(name);
            expect(personality?.paymentType).toBe(paymentType);
            expect(personality?.fees[currency]).toBeDefined();
          }
        },
      ),
    );
  });
});

describe("routing config validation", () => {
  const file = "config/routing/tenants/acme.yaml";
  const table = () => ({
    budget: { maxAttempts: 3, maxTotalMs: 8000 },
    rules: [
      { id: "cards", match: { paymentTypes: ["CARD"] }, split: { stripe_sandbox: 70, checkout_sandbox: 30 } },
    ],
    defaults: { CARD: ["stripe_sandbox"] },
  });
  const error = (document: unknown) =>
    thrown(ConfigError, () => parseRoutingTable(document, file, "tenant", routing.personalities));

  it("accepts the example and names file and field for every mistake", () => {
    expect(parseRoutingTable(table(), file, "tenant", routing.personalities).rules).toHaveLength(1);
    const cases: [(doc: ReturnType<typeof table>) => unknown, string, string][] = [
      [
        (d) => ({ ...d, rules: [{ ...d.rules[0], split: { stripe_sandbox: 70, nope_sandbox: 30 } }] }),
        "rules[0].split.nope_sandbox",
        "unknown processor",
      ],
      [
        (d) => ({
          ...d,
          rules: [{ ...d.rules[0], split: { stripe_sandbox: 70, sepa_nordbank_sandbox: 30 } }],
        }),
        "rules[0].split.sepa_nordbank_sandbox",
        "serves SEPA_CREDIT, not CARD",
      ],
      [
        (d) => ({ ...d, rules: [{ ...d.rules[0], split: { stripe_sandbox: 0, checkout_sandbox: 30 } }] }),
        "rules[0].split.stripe_sandbox",
        "between 1 and 10000",
      ],
      [
        (d) => ({ ...d, rules: [{ id: "x", processors: ["stripe_sandbox"], split: { a: 1 } }] }),
        "rules[0]",
        "exactly one of",
      ],
      [(d) => ({ ...d, rules: [d.rules[0], d.rules[0]] }), "rules[1].id", "used twice"],
      [
        (d) => ({ ...d, rules: [{ ...d.rules[0], match: { currencies: ["EURO"] } }] }),
        "rules[0].match.currencies[0]",
        "ISO 4217",
      ],
      [
        (d) => ({ ...d, rules: [{ ...d.rules[0], match: { amountMinor: { min: "10", max: "5" } } }] }),
        "rules[0].match.amountMinor.max",
        "below",
      ],
      [
        (d) => ({ ...d, rules: [{ ...d.rules[0], match: { cardBrand: ["visa"] } }] }),
        "rules[0].match.cardBrand",
        "unknown field",
      ],
      [
        (d) => ({ ...d, rules: [{ ...d.rules[0], match: { cardBrands: ["visa-electron"] } }] }),
        "rules[0].match.cardBrands[0]",
        "must be one of",
      ],
      [(d) => ({ ...d, defaults: { CARD: ["ach_harbor_sandbox"] } }), "defaults.CARD[0]", "serves ACH"],
      [(d) => ({ ...d, defaults: { WIRE: ["stripe_sandbox"] } }), "defaults.WIRE", "not a payment type"],
      [
        (d) => ({ ...d, budget: { maxAttempts: 0, maxTotalMs: 8000 } }),
        "budget.maxAttempts",
        "between 1 and 10",
      ],
    ];
    for (const [change, field, problem] of cases) {
      const failure = error(change(table()));
      expect(failure.file).toBe(file);
      expect(failure.field).toBe(field);
      expect(failure.message).toContain(problem);
    }
  });

  it("refuses a processors.yaml personality that does not fit its processor", () => {
    const processorsFile = "config/processors.yaml";
    const personality = {
      paymentType: "CARD",
      fees: { EUR: { fixedMinor: "25", bps: 150 } },
      latencyMs: { median: 100, p99: 400 },
    };
    expect(
      parseProcessorsConfig({ processors: { stripe_sandbox: personality } }, processorsFile).personalities
        .size,
    ).toBe(1);
    const failures: [unknown, string][] = [
      [{ processors: { paypal_sandbox: personality } }, "processors.paypal_sandbox"],
      [
        { processors: { stripe_sandbox: { ...personality, paymentType: "ACH" } } },
        "processors.stripe_sandbox.paymentType",
      ],
      [
        { processors: { stripe_sandbox: { ...personality, fees: { EUR: { fixedMinor: 25, bps: 150 } } } } },
        "processors.stripe_sandbox.fees.EUR.fixedMinor",
      ],
      [
        { processors: { stripe_sandbox: { ...personality, latencyMs: { median: 500, p99: 100 } } } },
        "processors.stripe_sandbox.latencyMs.p99",
      ],
      [
        {
          processors: {
            stripe_sandbox: { ...personality, rates: { softDeclineBps: 9000, hardDeclineBps: 2000 } },
          },
        },
        "processors.stripe_sandbox.rates",
      ],
      [{ processors: { stripe_sandbox: { ...personality, down: "yes" } } }, "processors.stripe_sandbox.down"],
      // slowCards is keyed by last four only, and a whole number as key is not echoed.
      [
        { processors: { stripe_sandbox: { ...personality, slowCards: { "4000000000000077": 5000 } } } },
        "processors.stripe_sandbox.slowCards",
      ],
      [
        { processors: { stripe_sandbox: { ...personality, slowCards: { "0077": "5s" } } } },
        "processors.stripe_sandbox.slowCards.0077",
      ],
      [
        { breaker: { windowMs: 1000, bucketMs: 5000 }, processors: { stripe_sandbox: personality } },
        "breaker.windowMs",
      ],
    ];
    for (const [document, field] of failures) {
      const failure = thrown(ConfigError, () => parseProcessorsConfig(document, processorsFile));
      expect([failure.file, failure.field]).toEqual([processorsFile, field]);
      expect(failure.message).not.toContain("4000000000000077");
    }
  });

  it("refuses at load a routing file of no known tenant, naming the file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "payrail-routing-"));
    try {
      await cp("config", dir, { recursive: true });
      const ghost = join(dir, "routing", "tenants", "ghost.yaml");
      await writeFile(ghost, "defaults:\n  CARD: [stripe_sandbox]\n");
      await expect(loadConfig(dir)).rejects.toThrow(`${ghost}: (document): no tenant named ghost`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
