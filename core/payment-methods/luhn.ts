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

// A run of 13-19 digits, optionally grouped by single spaces or dashes, not glued to other digits.
const CANDIDATE = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;

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
