import { describe, expect, it } from "vitest";
import { PayrailError } from "../../../core/errors";
import type { InitiatePaymentInput } from "../../../core/generated/graphql";
import { validatePaymentInput } from "../../../core/payment-methods";
import { thrown } from "./thrown";

const NOW = new Date("2026-11-27T05:00:00Z");
const base: InitiatePaymentInput = {
  idempotencyKey: "k-1",
  amount: "10.00",
  currency: "EUR",
  paymentType: "SEPA_CREDIT",
  payer: { name: "Ann", sepa: { iban: "DE89370400440532013000" } },
  payee: { name: "Bob", sepa: { iban: "GB29NWBK60161331926819" } },
};
const field = (input: InitiatePaymentInput) =>
  thrown(PayrailError, () => validatePaymentInput(input, NOW)).errorInfo?.field;

const CONTROLS = {
  NUL: "a\u0000b",
  "C0 (newline)": "line\nbreak",
  "ANSI escape": "\u001b[31mred\u001b[0m",
  DEL: "a\u007fb",
  C1: "a\u0085b",
  "bidi override U+202E": "invoice \u202eexe.pdf",
  "bidi embedding U+202A": "\u202aabc",
  "bidi isolate U+2066": "\u2066abc\u2069",
};

describe("free text: names and reference", () => {
  it.each(Object.entries(CONTROLS))(
    "refuses %s in the reference and in names, naming the field",
    (_, text) => {
      expect(field({ ...base, reference: text })).toBe("input.reference");
      expect(field({ ...base, payer: { ...base.payer, name: text } })).toBe("input.payer.name");
      expect(field({ ...base, payee: { name: text, sepa: { iban: "GB29NWBK60161331926819" } } })).toBe(
        "input.payee.name",
      );
    },
  );

  it("counts characters, not UTF-16 units: 140 emoji fit, 141 do not", () => {
    const emoji = (n: number) => "😀".repeat(n); // astral: two UTF-16 units each
    expect(emoji(140).length).toBe(280);
    expect(validatePaymentInput({ ...base, reference: emoji(140) }, NOW).reference).toBe(emoji(140));
    expect(
      validatePaymentInput({ ...base, payer: { ...base.payer, name: emoji(140) } }, NOW).payer.name,
    ).toBe(emoji(140));
    expect(field({ ...base, reference: emoji(141) })).toBe("input.reference");
    expect(field({ ...base, payer: { ...base.payer, name: `𝔄${emoji(140)}` } })).toBe("input.payer.name");
  });

  it("keeps ordinary accents, scripts and joiners", () => {
    const name = "Zoë Ångström-Đặng 李小龙 👩‍👩‍👧";
    expect(validatePaymentInput({ ...base, payer: { ...base.payer, name } }, NOW).payer.name).toBe(name);
  });
});
