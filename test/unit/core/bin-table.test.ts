import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../core/config";
import { BIN_TABLE, lookupBin, parseBinTable } from "../../../core/payment-methods";

const FILE = "bins.json";
const row = (prefix: string, country: string, brand = "visa") => ({ prefix, country, brand, source: "test" });
const table = (...ranges: unknown[]) => parseBinTable({ ranges }, FILE);
const problem = (document: unknown): string => {
  try {
    parseBinTable(document, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
};

describe("BIN table lookup", () => {
  it("answers the country and brand of the longest prefix that matches", () => {
    const bins = table(row("400000", "US"), row("4000002", "CA"), row("40000027", "DE"));
    expect(lookupBin(bins, "4000002760000016")).toMatchObject({ country: "DE", prefix: "40000027" });
    expect(lookupBin(bins, "4000002960000001")).toMatchObject({ country: "CA", prefix: "4000002" });
    expect(lookupBin(bins, "4000001111111111")).toMatchObject({ country: "US", prefix: "400000" });
    expect(lookupBin(bins, "4000 0027 6000 0016")).toMatchObject({ country: "DE" });
  });

  it("answers null for a BIN it does not list, and for a number too short to hold a BIN", () => {
    const bins = table(row("40000027", "DE"));
    expect(lookupBin(bins, "5555555555554444")).toBeNull();
    expect(lookupBin(bins, "40000")).toBeNull();
    // A 6-digit BIN cannot match a row that needs 8.
    expect(lookupBin(bins, "400000")).toBeNull();
    expect(lookupBin(bins, "40000027")).toMatchObject({ country: "DE" });
  });

  it("ships README's test cards and the international ones, each with a source", () => {
    const cases: [string, string | null][] = [
      ["4242424242424242", "US"],
      ["4000000000000002", "US"],
      ["4000000000000259", "US"],
      ["378282246310005", "US"],
      ["4000002760000016", "DE"],
      ["4000002500000003", "FR"],
      ["4000008260000000", "GB"],
      ["4000000760000002", "BR"],
      ["4000003560000008", "IN"],
      ["5200007840000022", "AE"],
      ["4111111111111111", null],
    ];
    for (const [card, country] of cases)
      expect(lookupBin(BIN_TABLE, card)?.country ?? null, card).toBe(country);
    for (const range of BIN_TABLE.values()) expect(range.source.length).toBeGreaterThan(10);
  });
});

describe("BIN table loader", () => {
  it("names the file and the field of every mistake", () => {
    expect(problem({ ranges: [row("4000", "DE")] })).toBe(
      "bins.json: ranges[0].prefix: must be 6 to 8 digits, quoted",
    );
    expect(problem({ ranges: [row("424242", "US"), row("40000027", "Germany")] })).toBe(
      "bins.json: ranges[1].country: must be an ISO 3166-1 alpha-2 code like DE",
    );
    expect(problem({ ranges: [row("378282", "US", "visa")] })).toBe(
      'bins.json: ranges[0].brand: "visa" is not the brand of prefix 378282 (amex)',
    );
    expect(problem({ ranges: [row("424242", "US"), row("424242", "GB")] })).toBe(
      "bins.json: ranges[1].prefix: 424242 is listed twice",
    );
    expect(problem({ ranges: [{ ...row("424242", "US"), pan: "4242424242424242" }] })).toMatch(
      /^bins\.json: ranges\[0\]\.pan: unknown field/,
    );
    expect(problem({ ranges: [{ prefix: "424242", country: "US", brand: "visa" }] })).toBe(
      "bins.json: ranges[0].source: must be a non-empty string",
    );
    expect(problem({ ranges: [] })).toBe("bins.json: ranges: must list at least one range");
    expect(problem({ rows: [] })).toMatch(/^bins\.json: rows: unknown field/);
    expect(problem({ ranges: [424242] })).toBe("bins.json: ranges[0]: must be a mapping");
  });
});
