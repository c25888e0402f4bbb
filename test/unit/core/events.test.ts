import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PayrailError } from "../../../core/errors";
import {
  compatibilityProblems,
  createEvent,
  EVENT_SCHEMAS,
  EVENT_TYPES,
  type EventEnvelope,
  isBackwardCompatible,
  type JsonSchema,
  latestVersion,
  partyData,
  validateEvent,
} from "../../../core/events";
import { isLuhnValid, validatePaymentInput } from "../../../core/payment-methods";
import { transition } from "../../../core/states";

const NOW = new Date("2026-11-27T05:00:00Z");
const origin = {
  tenantId: "acme",
  paymentId: "pay_1",
  paymentType: "CARD" as const,
  correlationId: "corr-1",
};

function initiated(): EventEnvelope<"PaymentInitiated"> {
  return createEvent(
    {
      type: "PaymentInitiated",
      origin,
      data: {
        status: "INITIATED",
        amountMinor: "1250",
        currency: "EUR",
        idempotencyKey: "order-1",
        payer: {
          name: "Ana",
          cardToken: "tok_abc",
          cardLast4: "4242",
          cardBrand: "visa",
          cardExpiry: "12/30",
        },
        metadata: { order: "A1", lines: [{ sku: "x" }] },
      },
    },
    { now: NOW },
  );
}

describe("createEvent", () => {
  it("starts a chain at sequence 1 without causation", () => {
    const event = initiated();
    expect(event).toMatchObject({ ...origin, type: "PaymentInitiated", schemaVersion: 3, sequence: 1 });
    expect(event.causationId).toBeNull();
    expect(event.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(event.occurredAt).toBe("2026-11-27T05:00:00.000Z");
  });

  it("follows a cause: same payment and correlation, sequence + 1, causationId = cause", () => {
    const first = initiated();
    const risk = createEvent({
      type: "PaymentRiskAssessed",
      cause: first,
      data: { status: "RISK_APPROVED", decision: "APPROVE", score: 10, reasons: [] },
    });
    const failed = createEvent({
      type: "PaymentFailed",
      cause: risk,
      data: { status: "FAILED", rail: "card", code: "processing_error", attempts: 3 },
    });
    expect(risk).toMatchObject({
      tenantId: "acme",
      paymentId: "pay_1",
      sequence: 2,
      causationId: first.eventId,
    });
    expect(failed).toMatchObject({ sequence: 3, causationId: risk.eventId, schemaVersion: 3 });
    expect(new Set([first.eventId, risk.eventId, failed.eventId]).size).toBe(3);
    const reviewed = createEvent(
      {
        type: "PaymentReviewed",
        cause: risk,
        data: { status: "DECLINED", decision: "DECLINE", reviewer: "u1", reason: "fraud" },
      },
      { correlationId: "review-7" },
    );
    expect(reviewed.correlationId).toBe("review-7");
  });

  it("drives the state machine", () => {
    const first = initiated();
    const risk = createEvent({
      type: "PaymentRiskAssessed",
      cause: first,
      data: { status: "IN_REVIEW", decision: "REVIEW", score: 60, reasons: ["amount_over_review_threshold"] },
    });
    expect(transition({ status: "INITIATED", sequence: 1 }, risk)).toMatchObject({
      outcome: "applied",
      payment: { status: "IN_REVIEW", sequence: 2 },
    });
  });

  it("refuses to build an invalid event", () => {
    expect(() =>
      createEvent({
        type: "PaymentExecuted",
        cause: initiated(),
        data: {
          status: "EXECUTED",
          rail: "card",
          railReference: "r1",
          amountMinor: "12.50",
          currency: "EUR",
        },
      }),
    ).toThrow(PayrailError);
  });

  it("turns a validated party into event data without the card number", () => {
    const request = validatePaymentInput(
      {
        idempotencyKey: "k",
        amount: "1",
        currency: "EUR",
        paymentType: "CARD",
        payer: {
          name: "Ana",
          country: "DE",
          card: { number: "4242424242424242", expiryMonth: 1, expiryYear: 2031, cvc: "123" },
        },
      },
      NOW,
    );
    expect(partyData(request.payer, "tok_1")).toEqual({
      name: "Ana",
      country: "DE",
      maskedAccount: "**** 4242",
      cardToken: "tok_1",
      cardLast4: "4242",
      cardBrand: "visa",
      cardExpiry: "01/31",
      // The BIN table's country (Stripe's US test card), not the payer's.
      cardBinCountry: "US",
    });
  });
});

describe("validateEvent", () => {
  it("accepts a created event after a JSON round trip", () => {
    const result = validateEvent(JSON.parse(JSON.stringify(initiated())));
    expect(result.ok).toBe(true);
  });

  it("carries the payer's BIN country from v3 on, a country code only, and never in v2", () => {
    const event = initiated();
    const withCountry = (cardBinCountry: string, schemaVersion = 3) => ({
      ...event,
      schemaVersion,
      data: { ...event.data, payer: { ...event.data.payer, cardBinCountry } },
    });
    expect(validateEvent(withCountry("US")).ok).toBe(true);
    expect(validateEvent(withCountry("USA")).ok).toBe(false);
    expect(validateEvent(withCountry("US", 2)).ok).toBe(false);
  });

  it("rejects unknown versions, extra fields and wrong types with paths", () => {
    const event = initiated();
    expect(validateEvent({ ...event, schemaVersion: 9 })).toEqual({
      ok: false,
      errors: ["/type: no schema registered for PaymentInitiated v9"],
    });
    const extra = validateEvent({ ...event, data: { ...event.data, cvc: "123" } });
    expect(extra).toMatchObject({ ok: false, errors: ["/data: must NOT have additional properties"] });
    expect(validateEvent({ ...event, sequence: 0 })).toMatchObject({ ok: false });
    expect(validateEvent({ ...event, causationId: undefined })).toMatchObject({ ok: false });
    expect(validateEvent(null)).toMatchObject({ ok: false });
  });

  it("allows rail accounts that happen to pass Luhn, but only in a party's account", () => {
    const event = createEvent({
      type: "PaymentInitiated",
      origin: { ...origin, paymentType: "ACH" },
      data: {
        status: "INITIATED",
        amountMinor: "100",
        currency: "USD",
        idempotencyKey: "k",
        payer: { name: "A", account: { routingNumber: "011000015", accountNumber: "4242424242424242" } },
      },
    });
    expect(event.sequence).toBe(1);
  });

  it("takes a rail reference that happens to be a Luhn-valid digit run (e.g. an ACH trace number)", () => {
    const executed = createEvent({
      type: "PaymentExecuted",
      cause: createEvent({
        type: "PaymentRiskAssessed",
        cause: initiated(),
        data: { status: "RISK_APPROVED", decision: "APPROVE", score: 0, reasons: [] },
      }),
      data: {
        status: "EXECUTED",
        rail: "ach",
        railReference: "ach_4242424242424242ab",
        amountMinor: "1250",
        currency: "EUR",
      },
    });
    expect(executed.sequence).toBe(3);
  });

  it("takes a payer fingerprint whose hex digits happen to hold a Luhn-valid run", () => {
    // An HMAC in hex: the first 16 characters are a Luhn-valid digit run (about 1 fingerprint in 230).
    const payerFingerprint = `4242424242424242${"ab".repeat(24)}`;
    const event = { ...initiated(), data: { ...initiated().data, payerFingerprint } };
    expect(validateEvent(event)).toMatchObject({ ok: true });
    expect(validateEvent({ ...event, data: { ...event.data, reference: "4242424242424242" } })).toMatchObject(
      {
        ok: false,
      },
    );
  });

  // Brand-shaped (Visa 16, Amex 15, UnionPay 19): a digit run with no brand's IIN is no card.
  const cardNumber = fc
    .tuple(
      fc.constantFrom(["4", 16], ["34", 15], ["62", 19]),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 18, maxLength: 18 }),
    )
    .map(([[prefix, length], digits]) => {
      const body = (prefix + digits.join("")).slice(0, Number(length) - 1);
      return body + [..."0123456789"].find((d) => isLuhnValid(body + d));
    });
  const places: ((event: EventEnvelope<"PaymentInitiated">, n: string) => unknown)[] = [
    (e, n) => ({ ...e, data: { ...e.data, reference: `ref ${n}` } }),
    (e, n) => ({ ...e, data: { ...e.data, metadata: { nested: { deep: [n] } } } }),
    (e, n) => ({ ...e, data: { ...e.data, metadata: { [n]: true } } }),
    (e, n) => ({ ...e, data: { ...e.data, payer: { ...e.data.payer, name: n } } }),
    (e, n) => ({ ...e, data: { ...e.data, payer: { ...e.data.payer, cardToken: n } } }),
    (e, n) => ({ ...e, correlationId: n }),
    (e, n) => ({ ...e, data: { ...e.data, cardNumber: n } }),
  ];

  it("rejects a card number anywhere, and never echoes it", () => {
    const base = initiated();
    fc.assert(
      fc.property(cardNumber, fc.nat(places.length - 1), (number, place) => {
        const result = validateEvent(places[place](base, number));
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.errors.join(" ")).not.toContain(number);
      }),
    );
  });
});

describe("schema registry", () => {
  it("has a schema for every event type, versions numbered 1..n", () => {
    for (const type of EVENT_TYPES) {
      const versions = EVENT_SCHEMAS.filter((e) => e.type === type).map((e) => e.version);
      expect(versions).toEqual(Array.from({ length: latestVersion(type) }, (_, i) => i + 1));
    }
  });

  it("every registered version is backward compatible with its predecessor", () => {
    for (const entry of EVENT_SCHEMAS) {
      const previous = EVENT_SCHEMAS.find((e) => e.type === entry.type && e.version === entry.version - 1);
      if (previous) expect(compatibilityProblems(previous.schema, entry.schema)).toEqual([]);
    }
    expect(EVENT_SCHEMAS.some((e) => e.version > 1)).toBe(true);
  });

  it("closes every object schema except free metadata", () => {
    const open: string[] = [];
    const walk = (schema: JsonSchema, path: string) => {
      if (schema.properties && schema.additionalProperties !== false) open.push(path);
      if (schema.type === "object" && !schema.properties && path !== "/data/metadata") open.push(path);
      for (const [name, child] of Object.entries(schema.properties ?? {})) walk(child, `${path}/${name}`);
      if (schema.items) walk(schema.items, `${path}/items`);
    };
    for (const entry of EVENT_SCHEMAS) walk(entry.schema, "");
    expect(open).toEqual([]);
  });
});

describe("isBackwardCompatible", () => {
  const v1: JsonSchema = {
    type: "object",
    additionalProperties: false,
    required: ["a"],
    properties: { a: { type: "string" }, b: { enum: ["X", "Y"] }, c: { type: "integer", maximum: 10 } },
  };
  const withProps = (properties: Record<string, JsonSchema>, required = ["a"]): JsonSchema => ({
    ...v1,
    required,
    properties: { ...v1.properties, ...properties },
  });

  it("allows adding an optional field, widening an enum, relaxing a constraint", () => {
    expect(isBackwardCompatible(v1, withProps({ d: { type: "string" } }))).toBe(true);
    expect(isBackwardCompatible(v1, withProps({ b: { enum: ["X", "Y", "Z"] } }))).toBe(true);
    expect(isBackwardCompatible(v1, withProps({ c: { type: "integer" } }))).toBe(true);
    expect(isBackwardCompatible(v1, withProps({}, []))).toBe(true);
  });

  it("breaks on removing, retyping, narrowing or newly requiring a field", () => {
    const { c: _c, ...withoutC } = v1.properties ?? {};
    expect(compatibilityProblems(v1, { ...v1, properties: withoutC })).toEqual(["/c: removed"]);
    expect(compatibilityProblems(v1, withProps({ a: { type: "integer" } }))).toEqual([
      "/a: type changed from string to integer",
    ]);
    expect(compatibilityProblems(v1, withProps({ b: { enum: ["X"] } }))).toEqual([
      "/b: allowed values narrowed",
    ]);
    expect(compatibilityProblems(v1, withProps({ d: { type: "string" } }, ["a", "d"]))).toEqual([
      "/d: added as required",
    ]);
    expect(compatibilityProblems(v1, withProps({ c: { type: "integer", maximum: 5 } }))).toEqual([
      "/c: maximum changed",
    ]);
  });
});
