import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { containsCardNumber, detectBrand, isCardNumber, isLuhnValid } from "../../../core/payment-methods";

// Public test cards of Stripe, Braintree, PayPal and Cybersource, by brand.
const TEST_CARDS: Readonly<Record<string, readonly string[]>> = {
  visa: ["4242424242424242", "4000056655665556", "4111111111111111", "4012888888881881", "4222222222222"],
  mastercard: [
    "5555555555554444",
    "2223003122003222",
    "5200828282828210",
    "5105105105105100",
    "2222420000001113",
  ],
  amex: ["378282246310005", "371449635398431", "378734493671000"],
  discover: ["6011111111111117", "6011000990139424", "6011981111111113", "6445644564456445"],
  diners: ["3056930009020004", "36227206271667", "30569309025904", "38520000023237"],
  jcb: ["3566002020360505", "3530111333300000", "3566111111111113"],
  unionpay: ["6200000000000005", "6200000000000047", "6205500000000000004", "6243030000000001"],
  maestro: ["6759649826438453", "6304000000000000", "50339619890917", "586824160825533338"],
};
const ALL_TEST_CARDS = Object.values(TEST_CARDS).flat();

/** Appends the Luhn check digit to `body`. */
const withCheckDigit = (body: string) => body + [..."0123456789"].find((d) => isLuhnValid(body + d));

describe("card numbers: brand IIN range + brand length + Luhn", () => {
  it.each(Object.entries(TEST_CARDS))("knows every public %s test card as a card number", (brand, cards) => {
    for (const card of cards) {
      expect(detectBrand(card)).toBe(brand);
      expect(isCardNumber(card)).toBe(true);
    }
  });

  it("rejects every public test card inside a key, a sentence or JSON, grouped or not", () => {
    for (const card of ALL_TEST_CARDS) {
      expect(containsCardNumber(`order-${card}`)).toBe(true);
      expect(containsCardNumber(`pay ${card} now`)).toBe(true);
      expect(containsCardNumber(JSON.stringify({ n: card }))).toBe(true);
    }
    for (const card of ALL_TEST_CARDS.filter((c) => c.length === 16)) {
      expect(containsCardNumber(`card ${card.match(/\d{4}/g)?.join(" ")}`)).toBe(true);
      expect(containsCardNumber(`card ${card.match(/\d{4}/g)?.join("-")}`)).toBe(true);
    }
  });

  it("accepts 10,000 `order-<Date.now()>` keys, about a tenth of which pass Luhn", () => {
    const start = Date.parse("2026-12-03T00:00:00Z");
    let rejected = 0;
    let luhnValid = 0;
    for (let i = 0; i < 10_000; i++) {
      const timestamp = String(start + i * 7_919);
      if (isLuhnValid(timestamp)) luhnValid++;
      if (containsCardNumber(`order-${timestamp}`)) rejected++;
    }
    // Luhn alone would have refused these: the count shows the sample holds such timestamps.
    expect(luhnValid).toBeGreaterThan(900);
    expect(rejected).toBe(0);
    expect(containsCardNumber(`order-${Date.now()}`)).toBe(false);
  });

  it("takes a Luhn-valid digit run of the right length but no brand's range as no card", () => {
    expect(isCardNumber(withCheckDigit("176472000000"))).toBe(false);
    expect(isLuhnValid("9999999999999995")).toBe(true);
    expect(isCardNumber("9999999999999995")).toBe(false);
    // A Visa prefix at a length Visa does not issue (14), an Amex one at 16.
    expect(isCardNumber(withCheckDigit("4242424242424"))).toBe(false);
    expect(isCardNumber(withCheckDigit("378282246310005"))).toBe(false);
  });

  const digits = (min: number, max: number) =>
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(""));

  it("property: a brand prefix + brand length + check digit is a card; one changed digit is not", () => {
    const shapes: readonly [string, number][] = [
      ["4", 16],
      ["4", 13],
      ["51", 16],
      ["2720", 16],
      ["34", 15],
      ["6011", 19],
      ["649", 16],
      ["36", 14],
      ["3589", 17],
      ["62", 19],
      ["5018", 13],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...shapes), digits(18, 18), fc.nat(), (shape, fill, position) => {
        const [prefix, length] = shape;
        const number = withCheckDigit(prefix + fill.slice(0, length - prefix.length - 1));
        expect(isCardNumber(number)).toBe(true);
        expect(containsCardNumber(`ref:${number}.`)).toBe(true);
        const i = prefix.length + (position % (length - prefix.length));
        const changed = number.slice(0, i) + ((Number(number[i]) + 5) % 10) + number.slice(i + 1);
        expect(isCardNumber(changed)).toBe(false);
      }),
    );
  });

  it("property: digit runs starting with 1, 7, 8, 9 or 0 are never card numbers, Luhn or not", () => {
    fc.assert(
      fc.property(fc.constantFrom(..."17890"), digits(11, 17), (head, rest) => {
        const run = withCheckDigit(head + rest);
        expect(containsCardNumber(`key-${run}`)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
