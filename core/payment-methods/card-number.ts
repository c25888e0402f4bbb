// What counts as a card number (PAN), in one table: a digit run is a card number only when
// it starts with a real brand's IIN range, has one of that brand's lengths and passes Luhn.
// Luhn alone would take one random digit run in ten (e.g. a 13-digit Date.now()).
import { isLuhnValid } from "./luhn";

export type CardBrand =
  | "visa"
  | "mastercard"
  | "amex"
  | "discover"
  | "diners"
  | "jcb"
  | "unionpay"
  | "maestro";

/** An IIN prefix: exact leading digits, or an inclusive range of equally long leading numbers. */
type Prefix = string | readonly [number, number];

type BrandRule = { brand: CardBrand; prefixes: readonly Prefix[]; lengths: readonly number[] };

const range = (low: number, high: number): number[] =>
  Array.from({ length: high - low + 1 }, (_, i) => low + i);

// Checked in order: Discover's 622126-622925 sits inside UnionPay's 62. Diners 300-305 and 36
// also issue 16-19 digits (e.g. the test card 3056930009020004). Maestro is issued from 50,
// 56-58 and the rest of 6 (e.g. 5033…, 5868…, 6304…, 6759…): taken whole, as a missed card
// number leaks while a digit run mistaken for one is only refused.
const BRAND_RULES: readonly BrandRule[] = [
  { brand: "amex", prefixes: ["34", "37"], lengths: [15] },
  { brand: "visa", prefixes: ["4"], lengths: [13, 16, 19] },
  {
    brand: "mastercard",
    prefixes: [
      [51, 55],
      [2221, 2720],
    ],
    lengths: [16],
  },
  { brand: "discover", prefixes: ["6011", [644, 649], "65", [622126, 622925]], lengths: range(16, 19) },
  { brand: "diners", prefixes: [[300, 305], "36", "38", "39"], lengths: range(14, 19) },
  { brand: "jcb", prefixes: [[3528, 3589]], lengths: range(16, 19) },
  { brand: "unionpay", prefixes: ["62"], lengths: range(16, 19) },
  { brand: "maestro", prefixes: ["50", [56, 58], "6"], lengths: range(12, 19) },
];

function matchesPrefix(digits: string, prefix: Prefix): boolean {
  if (typeof prefix === "string") return digits.startsWith(prefix);
  const [low, high] = prefix;
  const head = Number(digits.slice(0, String(low).length));
  return head >= low && head <= high;
}

/** Card digits without the spaces or dashes people type. */
export function normalizeCardNumber(number: string): string {
  return number.replace(/[ -]/g, "");
}

/** The brand by IIN prefix and length (Luhn not checked), or undefined when none matches. */
export function detectBrand(number: string): CardBrand | undefined {
  const digits = normalizeCardNumber(number);
  if (!/^\d+$/.test(digits)) return undefined;
  return BRAND_RULES.find(
    (rule) => rule.lengths.includes(digits.length) && rule.prefixes.some((p) => matchesPrefix(digits, p)),
  )?.brand;
}

/** True when `number` (digits, spaces or dashes allowed) is a brand's IIN + length and passes Luhn. */
export function isCardNumber(number: string): boolean {
  const digits = normalizeCardNumber(number);
  return detectBrand(digits) !== undefined && isLuhnValid(digits);
}

// 13-19 digits in one run (not 12: a UUID's last group may be 12 digits), or grouped the way cards are printed (4-4-4-4[-1..3], 4-6-5, 4-6-4)
// with one consistent space or dash and standing alone: a group glued to letters or dashes
// belongs to an identifier such as a UUID (8-4-4-4-12 hex), not to a card.
const CANDIDATE =
  /(?<!\d)\d{13,19}(?!\d)|(?<![\w-])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\w-])/g;

/**
 * True when `text` holds a card number (see `isCardNumber`) as a digit run of its own.
 * Used to keep card numbers out of idempotency keys, events, references and metadata.
 */
export function containsCardNumber(text: string): boolean {
  for (const match of text.matchAll(CANDIDATE)) if (isCardNumber(match[0])) return true;
  return false;
}
