// IBAN lengths per country from the SWIFT IBAN registry (ISO 13616). Territories that
// use another country's prefix (e.g. Åland → FI, Jersey → GB, Réunion → FR) are covered by it.
// biome-ignore format: a dense table reads better against the registry
export const IBAN_LENGTHS: Readonly<Record<string, number>> = Object.freeze({
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24,
  FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28,
  HN: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20,
  LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19,
  MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29,
  PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24,
  SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
});

/** IBAN without spaces, upper case (the electronic format). */
export function normalizeIban(iban: string): string {
  return iban.replace(/ /g, "").toUpperCase();
}

/** ISO 7064 MOD 97-10 over the rearranged IBAN, letters as 10-35, folded chunk by chunk. */
function mod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = Number.parseInt(char, 36);
    remainder = (remainder * (value > 9 ? 100 : 10) + value) % 97;
  }
  return remainder;
}

/** Why the IBAN is not valid, or undefined. */
export function ibanProblem(iban: string): string | undefined {
  const normalized = normalizeIban(iban);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(normalized)) {
    return "IBAN must be a country code, two check digits and letters or digits";
  }
  const country = normalized.slice(0, 2);
  const length = Object.hasOwn(IBAN_LENGTHS, country) ? IBAN_LENGTHS[country] : undefined;
  if (length === undefined) return `IBAN country ${country} is not in the IBAN registry`;
  if (normalized.length !== length)
    return `IBAN for ${country} must have ${length} characters, got ${normalized.length}`;
  if (mod97(normalized) !== 1) return "IBAN check digits are wrong";
  return undefined;
}

export function isValidIban(iban: string): boolean {
  return ibanProblem(iban) === undefined;
}

/** ISO 9362: 4 letters bank, 2 letters country, 2 location, optional 3 branch. */
export function isValidBic(bic: string): boolean {
  return /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/.test(bic);
}
