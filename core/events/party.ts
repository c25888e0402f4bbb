import type { Party, PaymentMethod } from "../payment-methods";
import type { AccountData, PartyData } from "./types";

function accountData(method: PaymentMethod): AccountData | undefined {
  switch (method.kind) {
    case "card":
      return undefined;
    case "sepa":
      return method.bic ? { iban: method.iban, bic: method.bic } : { iban: method.iban };
    case "ach":
      return {
        routingNumber: method.routingNumber,
        accountNumber: method.accountNumber,
        accountType: method.accountType,
      };
    case "pix":
      return { pixKey: method.pix.key, pixKeyType: method.pix.type };
    case "upi":
      return { vpa: method.vpa };
    case "fasterPayments":
      return { sortCode: method.sortCode, accountNumber: method.accountNumber };
  }
}

/**
 * A validated party as events carry it. A card becomes the vault's token plus
 * last4/brand/expiry and its BIN's country when the BIN table knows it (pass `cardToken`
 * from the vault adapter); other methods keep
 * their account so the rail can be paid.
 */
export function partyData(party: Party, cardToken?: string): PartyData {
  const data: PartyData = { name: party.name };
  if (party.country) data.country = party.country;
  if (party.maskedAccount) data.maskedAccount = party.maskedAccount;
  if (party.method?.kind === "card") {
    if (cardToken) data.cardToken = cardToken;
    data.cardLast4 = party.method.card.last4;
    data.cardBrand = party.method.card.brand;
    data.cardExpiry = party.method.card.expiry;
    if (party.method.card.binCountry) data.cardBinCountry = party.method.card.binCountry;
  }
  const account = party.method ? accountData(party.method) : undefined;
  if (account) data.account = account;
  return data;
}
