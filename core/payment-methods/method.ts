import { validationError } from "../errors";
import type { PartyInput } from "../generated/graphql";
import { isValidAbaRouting, isValidAchAccount, isValidUkAccountNumber, normalizeSortCode } from "./accounts";
import { cardProblem, type ReducedCard, reduceCard } from "./card";
import { ibanProblem, isValidBic, normalizeIban } from "./iban";
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

export type MethodField = "card" | "sepa" | "ach" | "pix" | "upi" | "fasterPayments";

/**
 * Validates the party's `field` method (the one its payment type needs) and returns it
 * normalized with its masked form. Errors name the sub-field, e.g. `input.payer.card.cvc`.
 */
export function methodOf(
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
