import { createHmac } from "node:crypto";
import type { CardInput } from "../generated/graphql";
import { lookupBin } from "./bin-table";
import { BIN_TABLE } from "./bin-table-data";
import { type CardBrand, detectBrand, normalizeCardNumber } from "./card-number";
import { isLuhnValid } from "./luhn";

/** What may be kept of a card: never the number or cvc. */
export type ReducedCard = {
  readonly last4: string;
  readonly brand: CardBrand;
  readonly expiry: string;
  /** The issuer's country from the BIN table, for routing; null when its BIN is not listed. */
  readonly binCountry: string | null;
};

/** Expiry year as four digits; two-digit years are taken as 20YY. */
export function fullExpiryYear(year: number): number {
  return year < 100 ? 2000 + year : year;
}

/** A card is valid through the last day of its expiry month (UTC). */
export function isExpired(month: number, year: number, now: Date): boolean {
  const fullYear = fullExpiryYear(year);
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  return fullYear * 12 + (month - 1) < current;
}

/** Why the card cannot be used, naming the sub-field, or undefined. Never echoes the number. */
export function cardProblem(card: CardInput, now: Date): { field: string; message: string } | undefined {
  const digits = normalizeCardNumber(card.number);
  if (!/^\d{12,19}$/.test(digits)) return { field: "number", message: "card number must be 12-19 digits" };
  if (!isLuhnValid(digits)) return { field: "number", message: "card number fails the Luhn check" };
  const brand = detectBrand(digits);
  if (!brand) return { field: "number", message: "card number does not match a supported brand" };
  if (!Number.isInteger(card.expiryMonth) || card.expiryMonth < 1 || card.expiryMonth > 12) {
    return { field: "expiryMonth", message: "expiry month must be 1-12" };
  }
  const year = fullExpiryYear(card.expiryYear);
  if (!Number.isInteger(card.expiryYear) || year < 2000 || year > now.getUTCFullYear() + 20) {
    return { field: "expiryYear", message: "expiry year must be four digits and at most 20 years ahead" };
  }
  if (isExpired(card.expiryMonth, card.expiryYear, now))
    return { field: "expiryYear", message: "card has expired" };
  const cvcLength = brand === "amex" ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test(card.cvc)) {
    return { field: "cvc", message: `cvc must be ${cvcLength} digits` };
  }
  return undefined;
}

/** Brand, last four, MM/YY and the BIN's country: all that may be kept of a validated card. */
export function reduceCard(card: Pick<CardInput, "number" | "expiryMonth" | "expiryYear">): ReducedCard {
  const digits = normalizeCardNumber(card.number);
  const brand = detectBrand(digits);
  if (!brand) throw new Error("reduceCard needs a card that passed validation");
  const month = String(card.expiryMonth).padStart(2, "0");
  const year = String(fullExpiryYear(card.expiryYear) % 100).padStart(2, "0");
  const binCountry = lookupBin(BIN_TABLE, digits)?.country ?? null;
  return { last4: digits.slice(-4), brand, expiry: `${month}/${year}`, binCountry };
}

/** Keyed hash of the card number (HMAC-SHA256, hex): stable per card for velocity, useless without the key. */
export function cardFingerprint(number: string, secret: string): string {
  return createHmac("sha256", secret).update(normalizeCardNumber(number)).digest("hex");
}
