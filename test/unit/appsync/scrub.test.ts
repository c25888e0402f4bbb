import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REDACTED, scrubErrors, scrubErrorText } from "../../../local/appsync/scrub";

describe("scrubErrorText", () => {
  it("replaces a variable's echoed card object, keeping the path and the reason", () => {
    expect(
      scrubErrorText(
        'Variable "$i" got invalid value { number: "4111111111111111", expiryMonth: 12, cvc: "123", pin: "1" } at "i.payer.card"; Field "pin" is not defined by type "CardInput".',
      ),
    ).toBe(
      `Variable "$i" got invalid value ${REDACTED} at "i.payer.card"; Field "pin" is not defined by type "CardInput".`,
    );
  });

  it("replaces the value at the end of a scalar's reason", () => {
    expect(
      scrubErrorText(
        'Variable "$i" got invalid value 123 at "i.payer.card.cvc"; String cannot represent a non string value: 123',
      ),
    ).toBe(
      `Variable "$i" got invalid value ${REDACTED} at "i.payer.card.cvc"; String cannot represent a non string value: ${REDACTED}`,
    );
  });

  it("replaces a literal printed by validation", () => {
    expect(scrubErrorText('Expected value of type "String!", found {a: "x; y", b: 1}.')).toBe(
      `Expected value of type "String!", found ${REDACTED}.`,
    );
    expect(
      scrubErrorText(
        'Expected value of type "String!", found 987; String cannot represent a non string value: 987',
      ),
    ).toBe(
      `Expected value of type "String!", found ${REDACTED}; String cannot represent a non string value: ${REDACTED}`,
    );
  });

  it("a string literal holding the delimiters does not end the echo early", () => {
    const text = scrubErrorText('Variable "$i" got invalid value "; 123 at \\" x" at "i.a"; reason');
    expect(text).toBe(`Variable "$i" got invalid value ${REDACTED} at "i.a"; reason`);
  });

  it("an unterminated string swallows the rest rather than leak it", () => {
    expect(scrubErrorText('found "cvc 123; x')).toBe(`found ${REDACTED}`);
  });

  it.each([
    "4111111111111111",
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "3782-822463-10005",
    "ab5555555555554444cd",
    "12345678901234567890123",
  ])("replaces the digit run in %s", (run) => {
    const text = scrubErrorText(`No route for GET /x/${run}`);
    expect(text).toContain(REDACTED);
    expect(text.replace(/\D/g, "").length).toBeLessThan(13);
  });

  it("leaves short numbers, UUIDs and plain messages alone", () => {
    for (const text of [
      "Resolver count exceeds the limit of 10000",
      "Payment 123e4567-e89b-12d3-a456-426614174000 not found",
      "Payment 11111111-2222-3333-4444-555555555555 not found",
      'Validation error of type FieldUndefined: Cannot query field "nope" on type "Subscription".',
      "order 2026 12 31",
    ])
      expect(scrubErrorText(text)).toBe(text);
  });

  it("property: no 13-digit run survives anywhere", () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^\d{13,19}$/), fc.string(), (before, run, after) => {
        expect(scrubErrorText(before + run + after)).not.toMatch(/\d{13}/);
      }),
      { numRuns: 200 },
    );
  });
});

describe("scrubErrors", () => {
  it("scrubs each errors[].message and keeps the other fields", () => {
    const body = {
      data: null,
      errors: [{ errorType: "X", path: ["a"], message: "got 4111111111111111" }, "odd"],
    };
    expect(scrubErrors(body)).toEqual({
      data: null,
      errors: [{ errorType: "X", path: ["a"], message: `got ${REDACTED}` }, "odd"],
    });
  });

  it("passes bodies without errors through", () => {
    const body = { data: { a: "4111111111111111" } };
    expect(scrubErrors(body)).toBe(body);
    expect(scrubErrors(null)).toBe(null);
  });
});
