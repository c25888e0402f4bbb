import { validationError } from "../errors";
import type { InitiatePaymentInput, PartyInput, PaymentType } from "../generated/graphql";
import { type Money, parseMoney } from "../money";
import { containsCardNumber } from "./card-number";
import { parseMetadata } from "./metadata";
import { type MethodField, methodOf, type PaymentMethod } from "./method";
import { checkText } from "./text";

export type Party = {
  name: string;
  country: string | null;
  /** As the API shows it (Party.maskedAccount). */
  maskedAccount: string | null;
  method: PaymentMethod | null;
};

export type PaymentRequest = {
  idempotencyKey: string;
  amount: Money;
  paymentType: PaymentType;
  payer: Party;
  payee: Party | null;
  reference: string | null;
  metadata: Record<string, unknown> | null;
  correlationId: string | null;
  captureMethod: "AUTOMATIC" | "MANUAL";
};

const METHOD_FOR_TYPE: Readonly<Record<PaymentType, MethodField>> = {
  CARD: "card",
  SEPA_CREDIT: "sepa",
  ACH: "ach",
  PIX: "pix",
  UPI: "upi",
  FASTER_PAYMENTS: "fasterPayments",
};

/** Account-to-account rails settle in one currency; cards take any. */
export const RAIL_CURRENCY: Readonly<Partial<Record<PaymentType, string>>> = {
  SEPA_CREDIT: "EUR",
  ACH: "USD",
  PIX: "BRL",
  UPI: "INR",
  FASTER_PAYMENTS: "GBP",
};

const METHOD_FIELDS = Object.values(METHOD_FOR_TYPE);
const KEY = /^[A-Za-z0-9_\-:.]{1,128}$/;
const KEY_RULE = "must be 1-128 characters of A-Z a-z 0-9 _ - : .";

/** Throws a ValidationError naming `field` unless `value` is a well-formed key or correlation id. */
export function checkKey(value: unknown, field: string): void {
  if (typeof value !== "string" || !KEY.test(value)) throw validationError(field, KEY_RULE);
}

function validateParty(party: PartyInput, path: string, expected: MethodField | null, now: Date): Party {
  const name = party.name.trim();
  checkText(name, `${path}.name`, 1, 140);
  if (containsCardNumber(name)) throw validationError(`${path}.name`, "must not contain a card number");
  if (party.country != null && !/^[A-Z]{2}$/.test(party.country)) {
    throw validationError(`${path}.country`, "must be an ISO 3166-1 alpha-2 code");
  }
  const extra = METHOD_FIELDS.find((field) => field !== expected && party[field] != null);
  if (extra)
    throw validationError(
      `${path}.${extra}`,
      expected ? `only ${expected} is allowed here` : "is not used here",
    );
  const { method, masked } = expected ? methodOf(party, expected, path, now) : { method: null, masked: null };
  return { name, country: party.country ?? null, maskedAccount: masked, method };
}

/**
 * Validates and normalizes an initiatePayment input. Throws a ValidationError whose
 * message and errorInfo.field name the first offending field (e.g. `input.payer.card.number`);
 * messages never repeat the value, so a card number cannot leak through an error.
 */
export function validatePaymentInput(input: InitiatePaymentInput, now: Date): PaymentRequest {
  checkKey(input.idempotencyKey, "input.idempotencyKey");
  if (input.correlationId != null) checkKey(input.correlationId, "input.correlationId");
  const amount = parseMoney(input.amount, input.currency, "input.amount");
  if (amount.minor === 0n) throw validationError("input.amount", "must be greater than zero");
  const railCurrency = RAIL_CURRENCY[input.paymentType];
  if (railCurrency && railCurrency !== input.currency) {
    throw validationError("input.currency", `${input.paymentType} payments must be in ${railCurrency}`);
  }
  const method = METHOD_FOR_TYPE[input.paymentType];
  const payer = validateParty(input.payer, "input.payer", method, now);
  if (method !== "card" && !input.payee)
    throw validationError("input.payee", `is required for ${input.paymentType}`);
  // For CARD the tenant is the merchant: a payee may be named but carries no account.
  const payee = input.payee
    ? validateParty(input.payee, "input.payee", method === "card" ? null : method, now)
    : null;
  const captureMethod = input.captureMethod ?? "AUTOMATIC";
  if (captureMethod !== "AUTOMATIC" && captureMethod !== "MANUAL")
    throw validationError("input.captureMethod", "must be AUTOMATIC or MANUAL");
  // Only card networks hold funds; an account-to-account transfer moves them at once.
  if (captureMethod === "MANUAL" && input.paymentType !== "CARD") {
    throw validationError(
      "input.captureMethod",
      `MANUAL capture is offered for CARD payments only, not ${input.paymentType}`,
    );
  }
  const reference = input.reference ?? null;
  if (reference !== null) checkText(reference, "input.reference", 0, 140);
  if (reference !== null && containsCardNumber(reference)) {
    throw validationError("input.reference", "must not contain a card number");
  }
  return {
    idempotencyKey: input.idempotencyKey,
    amount,
    paymentType: input.paymentType,
    payer,
    payee,
    reference,
    metadata: input.metadata != null ? parseMetadata(input.metadata) : null,
    correlationId: input.correlationId ?? null,
    captureMethod,
  };
}
