import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REDACTED, redact, redactText } from "../../../consumers/platform/redact";
import { isLuhnValid } from "../../../core/payment-methods";

function withLuhnDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (isLuhnValid(`${body}${d}`)) return `${body}${d}`;
  throw new Error("unreachable");
}

describe("redact", () => {
  it("removes Luhn-valid card numbers in text, grouped or not", () => {
    expect(redactText("card 4242424242424242 declined")).toBe(`card ${REDACTED} declined`);
    expect(redactText("card 4242 4242 4242 4242.")).toBe(`card ${REDACTED}.`);
    expect(redactText("card 4000-0566-5566-5556")).toBe(`card ${REDACTED}`);
  });

  it("keeps digit runs that are not card numbers", () => {
    expect(redactText("amount 4242424242424241")).toBe("amount 4242424242424241");
    expect(redactText("order 123456789012")).toBe("order 123456789012");
    expect(redactText("id 4242424242424242424242")).toBe("id 4242424242424242424242");
  });

  it("walks objects, arrays, numbers, bigints and errors", () => {
    const out = redact({
      a: ["x 4242424242424242"],
      n: 4242424242424242,
      b: 4242424242424242n,
      e: new Error("pan 5555555555554444"),
      ok: 1250n,
    });
    expect(out).toEqual({
      a: [`x ${REDACTED}`],
      n: REDACTED,
      b: REDACTED,
      e: { name: "Error", message: `pan ${REDACTED}` },
      ok: "1250",
    });
  });

  it("keeps a Luhn-valid timestamp, which no card brand issues", () => {
    expect(isLuhnValid("1764720000009")).toBe(true);
    expect(redactText("at 1764720000009")).toBe("at 1764720000009");
  });

  it("redacts any brand-shaped (Visa prefix, 16 digits) Luhn-valid number inside text", () => {
    fc.assert(
      fc.property(
        fc
          .string({ unit: fc.constantFrom(..."0123456789"), minLength: 14, maxLength: 14 })
          .map((d) => `4${d}`),
        fc.string({ unit: fc.constantFrom(..."abc ,;:") }),
        (body, around) => {
          const pan = withLuhnDigit(body);
          expect(redactText(`${around} ${pan} ${around}`)).not.toContain(pan);
        },
      ),
      { numRuns: 200 },
    );
  });
});
