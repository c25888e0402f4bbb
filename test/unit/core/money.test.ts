import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PayrailError } from "../../../core/errors";
import {
  addMoney,
  CURRENCY_EXPONENTS,
  compareMoney,
  currencyExponent,
  formatMoney,
  moneyFromMinor,
  parseMoney,
  subtractMoney,
} from "../../../core/money";
import { thrown } from "./thrown";

function parseError(amount: string, currency = "EUR"): PayrailError {
  return thrown(PayrailError, () => parseMoney(amount, currency, "input.amount"));
}

describe("currency table", () => {
  it("knows the exponents that differ from 2", () => {
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("KRW")).toBe(0);
    expect(currencyExponent("EUR")).toBe(2);
    for (const code of ["BHD", "KWD", "OMR", "JOD", "TND", "LYD", "IQD"])
      expect(currencyExponent(code)).toBe(3);
    expect(currencyExponent("CLF")).toBe(4);
    expect(currencyExponent("UYW")).toBe(4);
    expect(currencyExponent("XAU")).toBeUndefined();
    expect(currencyExponent("toString")).toBeUndefined();
  });

  it("holds well over 150 three-letter codes", () => {
    const codes = Object.keys(CURRENCY_EXPONENTS);
    expect(codes.length).toBeGreaterThan(150);
    for (const code of codes) expect(code).toMatch(/^[A-Z]{3}$/);
  });
});

describe("parseMoney", () => {
  it("parses into minor units per exponent", () => {
    expect(parseMoney("12.50", "EUR")).toEqual({ minor: 1250n, currency: "EUR" });
    expect(parseMoney("12.5", "EUR").minor).toBe(1250n);
    expect(parseMoney("12", "EUR").minor).toBe(1200n);
    expect(parseMoney("1000", "JPY").minor).toBe(1000n);
    expect(parseMoney("1.234", "BHD").minor).toBe(1234n);
    expect(parseMoney("0.0001", "CLF").minor).toBe(1n);
    expect(parseMoney("0", "USD").minor).toBe(0n);
  });

  it.each([
    ["", "EUR", "input.amount: amount is empty"],
    [" 1.00", "EUR", "input.amount: amount must not contain whitespace"],
    ["1 000", "EUR", "input.amount: amount must not contain whitespace"],
    ["-1.00", "EUR", "input.amount: amount must not be negative"],
    ["+1.00", "EUR", "input.amount: amount must not have a leading '+'"],
    ["1e3", "EUR", "input.amount: amount must not use exponent notation"],
    ["NaN", "EUR", "input.amount: amount must be a number"],
    ["Infinity", "EUR", "input.amount: amount must be a number"],
    [".5", "EUR", "input.amount: amount needs digits on both sides of the decimal point"],
    ["5.", "EUR", "input.amount: amount needs digits on both sides of the decimal point"],
    ["1,00", "EUR", "input.amount: amount must be a decimal string of digits with an optional '.'"],
    ["0x10", "EUR", "input.amount: amount must be a decimal string of digits with an optional '.'"],
    ["1.005", "EUR", "input.amount: EUR allows at most 2 decimals, got 3"],
    ["1.5", "JPY", "input.amount: JPY allows at most 0 decimals, got 1"],
    ["1234567890123456789", "JPY", "input.amount: amount has more than 18 digits"],
    ["99999999999999999.99", "EUR", "input.amount: amount has more than 18 digits"],
    ["99999999999999999", "EUR", "input.amount: amount has more than 18 digits in minor units"],
    ["1.00", "XYZ", 'input.currency: "XYZ" is not an active ISO 4217 currency code'],
    // Anything that is not a three-letter code is not repeated (it could hold a card number).
    ["1.00", "4242424242424242", "input.currency: is not an active ISO 4217 currency code"],
    ["1.00", "E".repeat(10_000), "input.currency: is not an active ISO 4217 currency code"],
  ])("rejects %j %s", (amount, currency, message) => {
    const error = parseError(amount, currency);
    expect(error.errorType).toBe("ValidationError");
    expect(error.message).toBe(message);
  });

  it("rejects a JSON number instead of a string", () => {
    expect(() => parseMoney(12.5 as unknown as string, "EUR")).toThrow(
      "amount: amount must be a decimal string",
    );
  });

  it("names the field in errorInfo", () => {
    expect(parseError("-1").errorInfo).toEqual({ field: "input.amount" });
  });

  it("accepts exactly 18 digits", () => {
    expect(parseMoney("9999999999999999.99", "EUR").minor).toBe(999999999999999999n);
  });
});

describe("formatMoney", () => {
  it("prints the canonical decimal string", () => {
    expect(formatMoney({ minor: 1250n, currency: "EUR" })).toBe("12.50");
    expect(formatMoney({ minor: 5n, currency: "EUR" })).toBe("0.05");
    expect(formatMoney({ minor: 1000n, currency: "JPY" })).toBe("1000");
    expect(formatMoney({ minor: 1n, currency: "BHD" })).toBe("0.001");
    expect(formatMoney({ minor: -150n, currency: "USD" })).toBe("-1.50");
  });

  it("builds money from an event's amountMinor string", () => {
    expect(moneyFromMinor("1250", "EUR")).toEqual({ minor: 1250n, currency: "EUR" });
    expect(() => moneyFromMinor("12.5", "EUR")).toThrow(/integer digits/);
    expect(() => moneyFromMinor(1n, "ABC")).toThrow(/ISO 4217/);
  });
});

describe("arithmetic", () => {
  const eur = (minor: bigint) => ({ minor, currency: "EUR" });

  it("adds, subtracts and compares in minor units", () => {
    expect(addMoney(eur(10n), eur(5n))).toEqual(eur(15n));
    expect(subtractMoney(eur(10n), eur(15n))).toEqual(eur(-5n));
    expect(compareMoney(eur(1n), eur(2n))).toBe(-1);
    expect(compareMoney(eur(2n), eur(2n))).toBe(0);
    expect(compareMoney(eur(3n), eur(2n))).toBe(1);
  });

  it("refuses to mix currencies", () => {
    expect(() => addMoney(eur(1n), { minor: 1n, currency: "USD" })).toThrow("currency mismatch: EUR vs USD");
    expect(() => compareMoney(eur(1n), { minor: 1n, currency: "USD" })).toThrow(PayrailError);
  });
});

describe("properties", () => {
  const currency = fc.constantFrom(...Object.keys(CURRENCY_EXPONENTS));
  const minor = fc.bigInt({ min: 0n, max: 10n ** 18n - 1n });

  it("format then parse returns the same minor units for every currency", () => {
    fc.assert(
      fc.property(currency, minor, (code, value) => {
        const text = formatMoney({ minor: value, currency: code });
        expect(parseMoney(text, code)).toEqual({ minor: value, currency: code });
      }),
    );
  });

  it("parse then format is canonical: same value, exactly `exponent` decimals", () => {
    fc.assert(
      fc.property(currency, fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.nat(4), (code, whole, decimals) => {
        const exponent = currencyExponent(code) ?? 0;
        const fraction = "7".repeat(Math.min(decimals, exponent));
        const text = fraction ? `${whole}.${fraction}` : `${whole}`;
        const formatted = formatMoney(parseMoney(text, code));
        expect(formatted.split(".")[1]?.length ?? 0).toBe(exponent);
        expect(parseMoney(formatted, code).minor).toBe(parseMoney(text, code).minor);
      }),
    );
  });

  it("add and subtract never lose a minor unit", () => {
    fc.assert(
      fc.property(minor, minor, (a, b) => {
        const x = { minor: a, currency: "KWD" };
        const y = { minor: b, currency: "KWD" };
        expect(subtractMoney(addMoney(x, y), y)).toEqual(x);
        expect(addMoney(x, y).minor - a - b).toBe(0n);
        expect(compareMoney(addMoney(x, y), x)).toBe(b === 0n ? 0 : 1);
      }),
    );
  });
});
