import { validationError } from "../errors";
import type { InitiatePaymentInput, PartyInput, PaymentType } from "../generated/graphql";
import { type Money, parseMoney } from "../money";
import { isValidAbaRouting, isValidAchAccount, isValidUkAccountNumber, normalizeSortCode } from "./accounts";
import { cardProblem, type ReducedCard, reduceCard } from "./card";
import { ibanProblem, isValidBic, normalizeIban } from "./iban";
import { containsCardNumber } from "./luhn";
import { maskAccount, maskAddress, maskCard, maskIban } from "./mask";
import { type PixKey, parsePixKey } from "./pix";
import { isValidVpa } from "./upi";

/** A payment method after validation. A card is already reduced: the number never gets this far. */
export type PaymentMethod =
  | { kind: "card"; card: ReducedCard }
  | { kind: "sepa"; iban: string; bic: string | null }
  | { kind: "ach"; routingNumber: string; accountNumber: string; accountType: "CHECKING" | "SAVINGS" }
  | { kind: "pix"; pix: PixKey }
  | { kind: "upi"; vpa: string }
  | { kind: "fasterPayments"; sortCode: string; accountNumber: string };

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
};

type MethodField = "card" | "sepa" | "ach" | "pix" | "upi" | "fasterPayments";

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
const MAX_METADATA_BYTES = 4096;

function methodOf(
  party: PartyInput,
  field: MethodField,
  path: string,
  now: Date,
): { method: PaymentMethod; masked: string } {
  const at = `${path}.${field}`;
  switch (field) {
    case "card": {
      const card = party.card;
      if (!card) throw validationError(at, "is required");
      const problem = cardProblem(card, now);
      if (problem) throw validationError(`${at}.${problem.field}`, problem.message);
      const reduced = reduceCard(card);
      return { method: { kind: "card", card: reduced }, masked: maskCard(reduced.last4) };
    }
    case "sepa": {
      const sepa = party.sepa;
      if (!sepa) throw validationError(at, "is required");
      const problem = ibanProblem(sepa.iban);
      if (problem) throw validationError(`${at}.iban`, problem);
      const bic = sepa.bic?.toUpperCase() ?? null;
      if (bic !== null && !isValidBic(bic))
        throw validationError(`${at}.bic`, "BIC must be 8 or 11 characters (ISO 9362)");
      const iban = normalizeIban(sepa.iban);
      return { method: { kind: "sepa", iban, bic }, masked: maskIban(iban) };
    }
    case "ach": {
      const ach = party.ach;
      if (!ach) throw validationError(at, "is required");
      if (!isValidAbaRouting(ach.routingNumber)) {
        throw validationError(
          `${at}.routingNumber`,
          "ABA routing number must be 9 digits with a valid checksum",
        );
      }
      if (!isValidAchAccount(ach.accountNumber))
        throw validationError(`${at}.accountNumber`, "must be 4-17 digits");
      return {
        method: {
          kind: "ach",
          routingNumber: ach.routingNumber,
          accountNumber: ach.accountNumber,
          accountType: ach.accountType ?? "CHECKING",
        },
        masked: maskAccount(ach.accountNumber),
      };
    }
    case "pix": {
      if (!party.pix) throw validationError(at, "is required");
      const pix = parsePixKey(party.pix.key);
      if (!pix) throw validationError(`${at}.key`, "must be a CPF, CNPJ, e-mail, +55 phone or EVP key");
      return { method: { kind: "pix", pix }, masked: maskAddress(pix.key) };
    }
    case "upi": {
      if (!party.upi) throw validationError(at, "is required");
      if (!isValidVpa(party.upi.vpa))
        throw validationError(`${at}.vpa`, "must be a UPI address like name@bank");
      return { method: { kind: "upi", vpa: party.upi.vpa }, masked: maskAddress(party.upi.vpa) };
    }
    case "fasterPayments": {
      const fps = party.fasterPayments;
      if (!fps) throw validationError(at, "is required");
      const sortCode = normalizeSortCode(fps.sortCode);
      if (!sortCode) throw validationError(`${at}.sortCode`, "must be 6 digits, optionally as 12-34-56");
      if (!isValidUkAccountNumber(fps.accountNumber))
        throw validationError(`${at}.accountNumber`, "must be 8 digits");
      return {
        method: { kind: "fasterPayments", sortCode, accountNumber: fps.accountNumber },
        masked: maskAccount(fps.accountNumber),
      };
    }
  }
}

function validateParty(party: PartyInput, path: string, expected: MethodField | null, now: Date): Party {
  const name = party.name.trim();
  if (name.length === 0 || name.length > 140)
    throw validationError(`${path}.name`, "must be 1-140 characters");
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

function parseMetadata(metadata: string): Record<string, unknown> {
  if (Buffer.byteLength(metadata) > MAX_METADATA_BYTES)
    throw validationError("input.metadata", "must be at most 4 KiB");
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    throw validationError("input.metadata", "must be JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw validationError("input.metadata", "must be a JSON object");
  }
  if (containsCardNumber(metadata)) throw validationError("input.metadata", "must not contain a card number");
  return parsed as Record<string, unknown>;
}

/**
 * Validates and normalizes an initiatePayment input. Throws a ValidationError whose
 * message and errorInfo.field name the first offending field (e.g. `input.payer.card.number`);
 * messages never repeat the value, so a card number cannot leak through an error.
 */
export function validatePaymentInput(input: InitiatePaymentInput, now: Date): PaymentRequest {
  if (!KEY.test(input.idempotencyKey)) {
    throw validationError("input.idempotencyKey", "must be 1-128 characters of A-Z a-z 0-9 _ - : .");
  }
  if (input.correlationId != null && !KEY.test(input.correlationId)) {
    throw validationError("input.correlationId", "must be 1-128 characters of A-Z a-z 0-9 _ - : .");
  }
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
  const reference = input.reference ?? null;
  if (reference !== null && reference.length > 140)
    throw validationError("input.reference", "must be at most 140 characters");
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
  };
}
