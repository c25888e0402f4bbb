// A BIN table: card number prefixes (the issuer's BIN, 6-8 digits) → issuing country and
// brand, looked up by the longest prefix that matches. Routing reads the country (rules on
// `binCountries`); only the country is kept of a card, never the number or its BIN.
import { ConfigError, type Fields, fieldsOf } from "../config/fields";
import { type CardBrand, detectBrand, normalizeCardNumber } from "./card-number";

export type BinRange = { prefix: string; country: string; brand: CardBrand; source: string };

/** Ranges by prefix; `lookupBin` tries the longest first. */
export type BinTable = ReadonlyMap<string, BinRange>;

const PREFIX = /^\d{6,8}$/;
const COUNTRY = /^[A-Z]{2}$/;
const MAX_PREFIX = 8;
const MIN_PREFIX = 6;

/** The brand the IIN rules give any card starting with `prefix` (at a length that brand issues). */
function brandOfPrefix(prefix: string): CardBrand | undefined {
  for (const length of [16, 15, 14, 19]) {
    const brand = detectBrand(prefix.padEnd(length, "0"));
    if (brand) return brand;
  }
  return undefined;
}

/** Validates a BIN table document (`{ ranges: [{ prefix, country, brand, source }] }`); errors name `file` and the field. */
export function parseBinTable(document: unknown, file: string): BinTable {
  const f: Fields = fieldsOf(file);
  const doc = f.object(document, "");
  f.only(doc, "", ["$comment", "ranges"]);
  const table = new Map<string, BinRange>();
  f.list(doc.ranges, "ranges", "BIN ranges").forEach((value, i) => {
    const at = `ranges[${i}]`;
    const row = f.object(value, at);
    f.only(row, at, ["prefix", "country", "brand", "source"]);
    const prefix = f.string(row.prefix, `${at}.prefix`, PREFIX, "6 to 8 digits, quoted");
    const country = f.string(row.country, `${at}.country`, COUNTRY, "an ISO 3166-1 alpha-2 code like DE");
    const brand = f.string(row.brand, `${at}.brand`);
    const expected = brandOfPrefix(prefix);
    if (!expected || brand !== expected)
      f.fail(`${at}.brand`, `"${brand}" is not the brand of prefix ${prefix} (${expected ?? "no brand"})`);
    const source = f.string(row.source, `${at}.source`);
    if (table.has(prefix)) f.fail(`${at}.prefix`, `${prefix} is listed twice`);
    table.set(prefix, { prefix, country, brand: expected, source });
  });
  if (table.size === 0) throw new ConfigError(file, "ranges", "must list at least one range");
  return table;
}

/**
 * The range of the longest prefix (8, 7, then 6 digits) that `digits` (a card number or a
 * BIN of 6-8 digits) starts with; null when none does (an unknown BIN).
 */
export function lookupBin(table: BinTable, digits: string): BinRange | null {
  const normalized = normalizeCardNumber(digits);
  for (let length = Math.min(MAX_PREFIX, normalized.length); length >= MIN_PREFIX; length--) {
    const range = table.get(normalized.slice(0, length));
    if (range) return range;
  }
  return null;
}
