// Strips card numbers (PANs) from anything about to leave a process as text: any run of
// 13-19 digits (optionally grouped by single spaces or dashes) that core's `isCardNumber`
// takes for a card (a brand's IIN range and length, and Luhn).
import { isCardNumber as isBrandCardNumber } from "../../core/payment-methods";

const DIGIT_RUN = /\d(?:[ -]?\d){12,18}(?![ -]?\d)/g;
export const REDACTED = "[REDACTED]";

function isCardNumber(run: string): boolean {
  const digits = run.replace(/[ -]/g, "");
  return digits.length >= 13 && digits.length <= 19 && isBrandCardNumber(digits);
}

export function redactText(text: string): string {
  // A lookbehind keeps a PAN glued to a longer digit run (e.g. inside an id) from matching partially.
  return text.replace(DIGIT_RUN, (run, offset: number, whole: string) =>
    offset > 0 && /\d/.test(whole[offset - 1] ?? "") ? run : isCardNumber(run) ? REDACTED : run,
  );
}

/** Deep copy of `value` with every card number replaced; bigints become decimal strings. */
export function redact(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value === "bigint") return redactText(value.toString());
  if (typeof value === "number")
    return Number.isInteger(value) && isCardNumber(String(value)) ? REDACTED : value;
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redact(inner)]));
  }
  return value;
}
