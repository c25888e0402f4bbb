/** Luhn (mod 10) check over a string of digits; false for anything else. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

// 13-19 digits in one run, or grouped the way cards are printed (4-4-4-4[-1..3], 4-6-5, 4-6-4)
// with one consistent space or dash and standing alone: a group glued to letters or dashes
// belongs to an identifier such as a UUID (8-4-4-4-12 hex), not to a card.
const CANDIDATE =
  /(?<!\d)\d{13,19}(?!\d)|(?<![\w-])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\w-])/g;

/**
 * True when `text` holds something that looks like a card number (13-19 digits that pass
 * Luhn). Used to keep card numbers out of events, references and metadata.
 */
export function containsCardNumber(text: string): boolean {
  for (const match of text.matchAll(CANDIDATE)) {
    if (isLuhnValid(match[0].replace(/[ -]/g, ""))) return true;
  }
  return false;
}
