import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PayrailError } from "../../../core/errors";
import type { InitiatePaymentInput } from "../../../core/generated/graphql";
import {
  cardFingerprint,
  containsCardNumber,
  detectBrand,
  IBAN_LENGTHS,
  ibanProblem,
  isExpired,
  isLuhnValid,
  isValidAbaRouting,
  isValidBic,
  isValidCnpj,
  isValidCpf,
  isValidIban,
  isValidVpa,
  maskAccount,
  maskIban,
  normalizeSortCode,
  parsePixKey,
  reduceCard,
  validatePaymentInput,
} from "../../../core/payment-methods";
import { thrown } from "./thrown";

const NOW = new Date("2026-11-27T05:00:00Z");

describe("cards", () => {
  it.each([
    ["4242424242424242", "visa"],
    ["4000000000000002", "visa"],
    ["5555555555554444", "mastercard"],
    ["2223003122003222", "mastercard"],
    ["378282246310005", "amex"],
    ["6011111111111117", "discover"],
    ["6221260000000000", "discover"],
    ["3056930009020004", "diners"],
    ["3566002020360505", "jcb"],
    ["6200000000000005", "unionpay"],
    ["6759649826438453", "maestro"],
  ])("%s is a Luhn-valid %s", (number, brand) => {
    expect(isLuhnValid(number)).toBe(true);
    expect(detectBrand(number)).toBe(brand);
  });

  it("detects no brand for unknown prefixes or wrong lengths", () => {
    expect(detectBrand("9999999999999995")).toBeUndefined();
    expect(detectBrand("42424242424242")).toBeUndefined();
  });

  it("expires after the last day of the expiry month (UTC)", () => {
    expect(isExpired(11, 2026, NOW)).toBe(false);
    expect(isExpired(10, 2026, NOW)).toBe(true);
    expect(isExpired(10, 26, NOW)).toBe(true);
    expect(isExpired(1, 27, NOW)).toBe(false);
  });

  it("reduces a card to brand, last four and MM/YY, and fingerprints it with a key", () => {
    const card = { number: "4242 4242 4242 4242", expiryMonth: 3, expiryYear: 2030 };
    expect(reduceCard(card)).toEqual({ last4: "4242", brand: "visa", expiry: "03/30", binCountry: "US" });
    const a = cardFingerprint("4242424242424242", "k1");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(cardFingerprint("4242-4242-4242-4242", "k1")).toBe(a);
    expect(cardFingerprint("4242424242424242", "k2")).not.toBe(a);
    expect(a).not.toContain("4242424242424242");
  });

  it("finds card numbers hidden in text, grouped or not, and only Luhn-valid ones", () => {
    expect(containsCardNumber("pay with 4242 4242 4242 4242 please")).toBe(true);
    expect(containsCardNumber('{"n":"4000-0000-0000-0002"}')).toBe(true);
    expect(containsCardNumber("order 4242424242424241")).toBe(false);
    expect(containsCardNumber("phone 0123456789")).toBe(false);
  });
});

describe("bank identifiers", () => {
  it.each([
    "DE89370400440532013000",
    "DE89 3704 0044 0532 0130 00",
    "GB29NWBK60161331926819",
    "FR1420041010050500013M02606",
    "NL91ABNA0417164300",
    "BE68539007547034",
    "NO9386011117947",
    "MT84MALT011000012345MTLCAST001S",
    "CH9300762011623852957",
    "IT60X0542811101000000123456",
    "BR1800360305000010009795493C1",
    "SA0380000000608010167519",
    "PL61109010140000071219812874",
    "LC55HEMM000100010012001200023015",
  ])("accepts IBAN %s", (iban) => {
    expect(ibanProblem(iban)).toBeUndefined();
  });

  it("rejects bad IBANs with a reason", () => {
    expect(ibanProblem("DE88370400440532013000")).toBe("IBAN check digits are wrong");
    expect(ibanProblem("DE8937040044053201300")).toBe("IBAN for DE must have 22 characters, got 21");
    expect(ibanProblem("US12345678901234567890")).toBe("IBAN country US is not in the IBAN registry");
    expect(ibanProblem("DE89-3704")).toMatch(/country code, two check digits/);
  });

  it("knows the registry's countries", () => {
    expect(Object.keys(IBAN_LENGTHS).length).toBeGreaterThanOrEqual(85);
    expect(IBAN_LENGTHS.NO).toBe(15);
    expect(IBAN_LENGTHS.LC).toBe(32);
    expect(IBAN_LENGTHS.RU).toBe(33);
  });

  it("checks BIC format", () => {
    expect(isValidBic("DEUTDEFF")).toBe(true);
    expect(isValidBic("DEUTDEFF500")).toBe(true);
    expect(isValidBic("DEUTDEF")).toBe(false);
    expect(isValidBic("DEU1DEFF")).toBe(false);
  });

  it("checks ABA routing numbers (3-7-1)", () => {
    for (const routing of ["011000015", "021000021", "111000025", "026009593"]) {
      expect(isValidAbaRouting(routing)).toBe(true);
    }
    expect(isValidAbaRouting("021000022")).toBe(false);
    expect(isValidAbaRouting("991000025")).toBe(false);
    expect(isValidAbaRouting("02100002")).toBe(false);
  });

  it("normalizes UK sort codes", () => {
    expect(normalizeSortCode("12-34-56")).toBe("123456");
    expect(normalizeSortCode("123456")).toBe("123456");
    expect(normalizeSortCode("12-3456")).toBeUndefined();
    expect(normalizeSortCode("12345")).toBeUndefined();
  });

  it("masks accounts", () => {
    expect(maskIban("DE89370400440532013000")).toBe("DE89 **** **** 3000");
    expect(maskAccount("000123456789")).toBe("****6789");
  });
});

describe("PIX and UPI", () => {
  it("classifies PIX keys", () => {
    expect(parsePixKey("529.982.247-25")).toEqual({ type: "CPF", key: "52998224725" });
    expect(parsePixKey("11.222.333/0001-81")).toEqual({ type: "CNPJ", key: "11222333000181" });
    expect(parsePixKey("Ana@Example.com.br")).toEqual({ type: "EMAIL", key: "ana@example.com.br" });
    expect(parsePixKey("+5561988887777")).toEqual({ type: "PHONE", key: "+5561988887777" });
    expect(parsePixKey("123e4567-e89b-12d3-a456-426614174000")?.type).toBe("EVP");
    for (const bad of [
      "52998224726",
      "11111111111",
      "11222333000182",
      "61988887777",
      "+4915112345678",
      "a@b",
    ]) {
      expect(parsePixKey(bad)).toBeUndefined();
    }
  });

  it("checks CPF and CNPJ check digits", () => {
    expect(isValidCpf("11144477735")).toBe(true);
    expect(isValidCpf("11144477736")).toBe(false);
    expect(isValidCnpj("11444777000161")).toBe(true);
    expect(isValidCnpj("11444777000162")).toBe(false);
  });

  it("checks UPI addresses", () => {
    expect(isValidVpa("asha.rao@okaxis")).toBe(true);
    expect(isValidVpa("9876543210@ybl")).toBe(true);
    expect(isValidVpa("asha rao@okaxis")).toBe(false);
    expect(isValidVpa("asha@")).toBe(false);
    expect(isValidVpa("@okaxis")).toBe(false);
  });
});

function cardInput(overrides: Partial<InitiatePaymentInput> = {}): InitiatePaymentInput {
  return {
    idempotencyKey: "order-1",
    amount: "12.50",
    currency: "EUR",
    paymentType: "CARD",
    payer: {
      name: "Ana",
      card: { number: "4242424242424242", expiryMonth: 12, expiryYear: 2030, cvc: "123" },
    },
    ...overrides,
  };
}

/** AWSJSON as AppSync hands it to resolvers: parsed, although the generated type says string. */
const parsedJson = (value: unknown) => value as string;

function rejection(input: InitiatePaymentInput): PayrailError {
  return thrown(PayrailError, () => validatePaymentInput(input, NOW));
}

describe("validatePaymentInput", () => {
  it("normalizes a card payment and keeps no card number anywhere", () => {
    const request = validatePaymentInput(cardInput({ metadata: '{"order":"A1"}' }), NOW);
    expect(request.amount).toEqual({ minor: 1250n, currency: "EUR" });
    expect(request.payer).toEqual({
      name: "Ana",
      country: null,
      maskedAccount: "**** 4242",
      method: { kind: "card", card: { last4: "4242", brand: "visa", expiry: "12/30", binCountry: "US" } },
    });
    expect(request.metadata).toEqual({ order: "A1" });
    expect(validatePaymentInput(cardInput({ metadata: parsedJson({ order: "A1" }) }), NOW).metadata).toEqual({
      order: "A1",
    });
    const serialized = JSON.stringify(request, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    expect(serialized).not.toContain("4242424242424242");
    expect(serialized).not.toContain('"123"');
  });

  it("normalizes account-to-account payments", () => {
    const sepa = validatePaymentInput(
      {
        idempotencyKey: "k",
        amount: "10",
        currency: "EUR",
        paymentType: "SEPA_CREDIT",
        payer: { name: "A", sepa: { iban: "de89 3704 0044 0532 0130 00", bic: "deutdeff" } },
        payee: { name: "B", country: "NL", sepa: { iban: "NL91ABNA0417164300" } },
      },
      NOW,
    );
    expect(sepa.payer.method).toEqual({ kind: "sepa", iban: "DE89370400440532013000", bic: "DEUTDEFF" });
    expect(sepa.payee?.maskedAccount).toBe("NL91 **** **** 4300");
    const fps = validatePaymentInput(
      {
        idempotencyKey: "k",
        amount: "10",
        currency: "GBP",
        paymentType: "FASTER_PAYMENTS",
        payer: { name: "A", fasterPayments: { sortCode: "12-34-56", accountNumber: "12345678" } },
        payee: { name: "B", fasterPayments: { sortCode: "654321", accountNumber: "87654321" } },
      },
      NOW,
    );
    expect(fps.payee?.method).toEqual({
      kind: "fasterPayments",
      sortCode: "654321",
      accountNumber: "87654321",
    });
  });

  it.each<[string, Partial<InitiatePaymentInput>, string]>([
    ["bad key", { idempotencyKey: "has space" }, "input.idempotencyKey"],
    ["zero amount", { amount: "0.00" }, "input.amount"],
    ["too many decimals", { amount: "1.001" }, "input.amount"],
    ["unknown currency", { currency: "EURO" }, "input.currency"],
    ["wrong rail currency", { paymentType: "SEPA_CREDIT", currency: "USD" }, "input.currency"],
    ["missing method", { paymentType: "PIX", currency: "BRL", payer: { name: "A" } }, "input.payer.pix"],
    ["other method", { paymentType: "PIX", currency: "BRL" }, "input.payer.card"],
    ["reference with card", { reference: "card 4242424242424242" }, "input.reference"],
    ["metadata not object", { metadata: "[1]" }, "input.metadata"],
    ["metadata with card", { metadata: '{"pan":"4000000000000002"}' }, "input.metadata"],
    ["metadata not JSON", { metadata: "{bad" }, "input.metadata"],
    // As AppSync delivers AWSJSON: already parsed.
    ["parsed metadata array", { metadata: parsedJson([1]) }, "input.metadata"],
    ["parsed metadata string", { metadata: "s" }, "input.metadata"],
    ["parsed metadata with card", { metadata: parsedJson({ pan: "4000000000000002" }) }, "input.metadata"],
    ["parsed metadata over 4 KiB", { metadata: parsedJson({ note: "x".repeat(4100) }) }, "input.metadata"],
    [
      "payee with account on card",
      { payee: { name: "Shop", ach: { routingNumber: "011000015", accountNumber: "1234" } } },
      "input.payee.ach",
    ],
  ])("rejects %s naming %s", (_name, overrides, field) => {
    const error = rejection(cardInput(overrides));
    expect(error.errorType).toBe("ValidationError");
    expect(error.errorInfo).toEqual({ field });
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  it.each([
    [{ number: "4242424242424241" }, "input.payer.card.number", "card number fails the Luhn check"],
    [{ number: "4242" }, "input.payer.card.number", "card number must be 12-19 digits"],
    [{ expiryMonth: 13 }, "input.payer.card.expiryMonth", "expiry month must be 1-12"],
    [{ expiryMonth: 10, expiryYear: 2026 }, "input.payer.card.expiryYear", "card has expired"],
    [{ cvc: "12" }, "input.payer.card.cvc", "cvc must be 3 digits"],
  ])("rejects card %j without echoing the number", (card, field, message) => {
    const base = { number: "4242424242424242", expiryMonth: 12, expiryYear: 2030, cvc: "123" };
    const error = rejection(cardInput({ payer: { name: "Ana", card: { ...base, ...card } } }));
    expect(error.message).toBe(`${field}: ${message}`);
    expect(error.message).not.toMatch(/\d{12,}/);
  });

  it("requires a payee for account-to-account types", () => {
    const error = rejection({
      idempotencyKey: "k",
      amount: "5",
      currency: "INR",
      paymentType: "UPI",
      payer: { name: "A", upi: { vpa: "asha@okaxis" } },
    });
    expect(error.message).toBe("input.payee: is required for UPI");
  });
});

/** Appends the Luhn check digit to `body`. */
function withCheckDigit(body: string): string {
  const check = [..."0123456789"].find((d) => isLuhnValid(body + d));
  return body + check;
}

/** Builds an IBAN with correct check digits, computed independently with BigInt. */
function makeIban(country: string, bban: string): string {
  const numeric = [...`${bban}${country}00`].map((c) => Number.parseInt(c, 36)).join("");
  const check = 98n - (BigInt(numeric) % 97n);
  return `${country}${check.toString().padStart(2, "0")}${bban}`;
}

describe("properties", () => {
  it("never mistakes a UUID for a card number", () => {
    fc.assert(
      fc.property(fc.uuid(), (uuid) => !containsCardNumber(uuid)),
      { numRuns: 2000 },
    );
    expect(containsCardNumber("00000000-0005-1000-8000-0014a0000000")).toBe(false);
  });

  const digits = (min: number, max: number) =>
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(""));

  it("Luhn accepts every number with a computed check digit and detects any single-digit change", () => {
    fc.assert(
      fc.property(digits(12, 18), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, position, delta) => {
        const number = withCheckDigit(body);
        expect(isLuhnValid(number)).toBe(true);
        const i = position % number.length;
        const corrupted = number.slice(0, i) + ((Number(number[i]) + delta) % 10) + number.slice(i + 1);
        expect(isLuhnValid(corrupted)).toBe(false);
      }),
    );
  });

  it("IBAN validation agrees with an independent BigInt mod-97 and catches single-digit changes", () => {
    fc.assert(
      fc.property(digits(18, 18), fc.nat(), fc.integer({ min: 1, max: 9 }), (bban, position, delta) => {
        const iban = makeIban("DE", bban);
        expect(isValidIban(iban)).toBe(true);
        const i = 2 + (position % 20);
        const corrupted = iban.slice(0, i) + ((Number(iban[i]) + delta) % 10) + iban.slice(i + 1);
        expect(isValidIban(corrupted)).toBe(false);
      }),
    );
  });
});
