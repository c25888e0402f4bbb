import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type RegionConfig, type TenantConfig } from "../../../core/config";
import { assessRisk, type RiskSubject, statusForDecision } from "../../../core/risk";

let acme: TenantConfig;
let eu: RegionConfig;

beforeAll(async () => {
  const config = await loadConfig("config");
  acme = config.tenants.get("acme") as TenantConfig;
  eu = config.regions.get("eu") as RegionConfig;
});

const card = (minor: bigint, overrides: Partial<RiskSubject> = {}): RiskSubject => ({
  amount: { minor, currency: "EUR" },
  paymentType: "CARD",
  payerCountry: "DE",
  payeeCountry: null,
  ...overrides,
});

// acme (config/tenants/acme.yaml): review above EUR 1,000.00, limit EUR 10,000.00, velocity 20/hour.
describe("assessRisk", () => {
  it("approves an ordinary payment", () => {
    const result = assessRisk({ payment: card(1250n), tenant: acme, region: eu, velocityCount: 1 });
    expect(result.decision).toBe("APPROVE");
    expect(result.reasons).toEqual([]);
    expect(result.score).toBeGreaterThanOrEqual(0);
    expect(result.score).toBeLessThan(50);
  });

  it("reviews above the threshold and at the threshold approves", () => {
    expect(assessRisk({ payment: card(100_000n), tenant: acme, region: eu, velocityCount: 1 }).decision).toBe(
      "APPROVE",
    );
    expect(assessRisk({ payment: card(100_001n), tenant: acme, region: eu, velocityCount: 1 })).toMatchObject(
      {
        decision: "REVIEW",
        reasons: ["amount_over_review_threshold"],
      },
    );
  });

  it("declines over the limit with limit_exceeded", () => {
    expect(assessRisk({ payment: card(1_000_001n), tenant: acme, region: eu, velocityCount: 1 })).toEqual({
      decision: "DECLINE",
      score: 100,
      reasons: ["limit_exceeded", "amount_over_review_threshold"],
    });
  });

  it("reviews over the velocity maximum and declines over twice it", () => {
    expect(assessRisk({ payment: card(100n), tenant: acme, region: eu, velocityCount: 20 }).decision).toBe(
      "APPROVE",
    );
    expect(assessRisk({ payment: card(100n), tenant: acme, region: eu, velocityCount: 21 })).toMatchObject({
      decision: "REVIEW",
      reasons: ["velocity_over_limit"],
    });
    expect(assessRisk({ payment: card(100n), tenant: acme, region: eu, velocityCount: 41 })).toMatchObject({
      decision: "DECLINE",
      reasons: ["velocity_exceeded"],
    });
  });

  it("declines blocked countries and currencies, and what the region does not offer", () => {
    const tenant = { ...acme, blockedCurrencies: ["EUR"], blockedCountries: ["FR"] };
    expect(assessRisk({ payment: card(100n), tenant, region: eu, velocityCount: 1 }).reasons).toEqual([
      "currency_blocked",
    ]);
    expect(
      assessRisk({
        payment: card(100n, { payeeCountry: "FR" }),
        tenant: acme,
        region: { ...eu },
        velocityCount: 1,
      }).decision,
    ).toBe("APPROVE");
    expect(
      assessRisk({ payment: card(100n, { payeeCountry: "FR" }), tenant, region: eu, velocityCount: 1 })
        .reasons,
    ).toContain("country_blocked");
    expect(
      assessRisk({ payment: card(100n, { payerCountry: "KP" }), tenant: acme, region: eu, velocityCount: 1 }),
    ).toMatchObject({
      decision: "DECLINE",
      reasons: ["country_blocked"],
    });
    expect(
      assessRisk({ payment: card(100n, { paymentType: "ACH" }), tenant: acme, region: eu, velocityCount: 1 })
        .reasons,
    ).toEqual(["payment_type_not_offered"]);
    expect(
      assessRisk({
        payment: card(100n, { amount: { minor: 100n, currency: "USD" } }),
        tenant: acme,
        region: eu,
        velocityCount: 1,
      }).reasons,
    ).toEqual(["currency_not_offered"]);
  });

  it("keeps the score in its decision's band for any amount and velocity", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.integer({ min: 1, max: 100 }),
        (minor, velocity) => {
          const { decision, score } = assessRisk({
            payment: card(minor),
            tenant: acme,
            region: eu,
            velocityCount: velocity,
          });
          const band = { APPROVE: [0, 49], REVIEW: [50, 99], DECLINE: [100, 100] }[decision];
          expect(score).toBeGreaterThanOrEqual(band[0]);
          expect(score).toBeLessThanOrEqual(band[1]);
          expect(decision === "DECLINE").toBe(minor > 1_000_000n || velocity > 40);
        },
      ),
    );
  });

  it("maps decisions to statuses", () => {
    expect(statusForDecision("APPROVE")).toBe("RISK_APPROVED");
    expect(statusForDecision("REVIEW")).toBe("IN_REVIEW");
    expect(statusForDecision("DECLINE")).toBe("DECLINED");
  });
});
