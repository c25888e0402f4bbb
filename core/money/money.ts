import { PayrailError, validationError } from "../errors";
import { currencyExponent } from "./currencies";

/** An amount in integer minor units of an ISO 4217 currency (EUR 12.50 = 1250n). */
export type Money = { readonly minor: bigint; readonly currency: string };

// 18 digits keep every amount inside a signed 64-bit integer, which rails and ledgers expect.
const MAX_DIGITS = 18;
const MAX_MINOR = 10n ** BigInt(MAX_DIGITS) - 1n;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

function exponentOf(currency: string, field: string): number {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) {
    // Echo only what looks like a code: the value could be anything, even a card number.
    const named = typeof currency === "string" && /^[A-Za-z]{3}$/.test(currency) ? `"${currency}" ` : "";
    throw validationError(field, `${named}is not an active ISO 4217 currency code`);
  }
  return exponent;
}

/** Why `amount` is not a plain decimal string, or undefined when its shape is fine. */
function shapeProblem(amount: unknown): string | undefined {
  // JSON callers (events, local tools) are not held to the GraphQL types.
  if (typeof amount !== "string") return "amount must be a decimal string";
  if (amount === "") return "amount is empty";
  if (amount.trim() !== amount || /\s/.test(amount)) return "amount must not contain whitespace";
  if (amount.startsWith("-")) return "amount must not be negative";
  if (amount.startsWith("+")) return "amount must not have a leading '+'";
  if (/[eE]/.test(amount)) return "amount must not use exponent notation";
  if (/^(nan|[+-]?infinity)$/i.test(amount)) return "amount must be a number";
  if (/^\.|\.$/.test(amount)) return "amount needs digits on both sides of the decimal point";
  if (!DECIMAL.test(amount)) return "amount must be a decimal string of digits with an optional '.'";
  return undefined;
}

/**
 * Parses a decimal string in major units ("12.50") into integer minor units.
 * Throws a ValidationError naming `field` for anything that is not a plain,
 * non-negative decimal with at most the currency's exponent of decimals.
 */
export function parseMoney(amount: string, currency: string, field = "amount"): Money {
  // The currency sits next to the amount: input.amount → input.currency.
  const exponent = exponentOf(currency, field.replace(/[^.]+$/, "currency"));
  const problem = shapeProblem(amount);
  if (problem) throw validationError(field, problem);
  const [, whole = "", fraction = ""] = DECIMAL.exec(amount) ?? [];
  if (fraction.length > exponent) {
    throw validationError(
      field,
      `${currency} allows at most ${exponent} decimal${exponent === 1 ? "" : "s"}, got ${fraction.length}`,
    );
  }
  if (whole.length + fraction.length > MAX_DIGITS) {
    throw validationError(field, `amount has more than ${MAX_DIGITS} digits`);
  }
  const minor = BigInt(whole + fraction.padEnd(exponent, "0"));
  if (minor > MAX_MINOR)
    throw validationError(field, `amount has more than ${MAX_DIGITS} digits in minor units`);
  return { minor, currency };
}

/** Builds Money from minor units, e.g. from an event's `amountMinor` decimal string. */
export function moneyFromMinor(minor: bigint | string, currency: string): Money {
  exponentOf(currency, "currency");
  const value = typeof minor === "bigint" ? minor : parseMinorString(minor);
  return { minor: value, currency };
}

function parseMinorString(minor: string): bigint {
  if (!/^-?\d{1,19}$/.test(minor)) throw validationError("amountMinor", "must be a string of integer digits");
  return BigInt(minor);
}

/** The canonical decimal string: exactly `exponent` decimals ("12.50", "1000", "0.125"). */
export function formatMoney(money: Money): string {
  const exponent = exponentOf(money.currency, "currency");
  const sign = money.minor < 0n ? "-" : "";
  const digits = (money.minor < 0n ? -money.minor : money.minor).toString().padStart(exponent + 1, "0");
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new PayrailError("InternalError", `currency mismatch: ${a.currency} vs ${b.currency}`);
  }
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { minor: a.minor + b.minor, currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { minor: a.minor - b.minor, currency: a.currency };
}

/** -1, 0 or 1, like a sort comparator. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b);
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}
