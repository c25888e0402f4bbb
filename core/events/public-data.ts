// Event data as it may leave Payrail (the API's paymentEvents, webhook bodies): without
// what execution needs but a client must not read back — vault tokens, rail accounts and
// the payer fingerprint. Parties keep only masked identifiers (maskedAccount, last four).
import type { EventEnvelope, PartyData } from "./types";

function publicParty({ cardToken: _token, account: _account, ...shown }: PartyData): PartyData {
  return shown;
}

export function publicEventData(data: EventEnvelope["data"]): Record<string, unknown> {
  if (!("payer" in data)) return data;
  const { payerFingerprint: _fingerprint, payer, payee, ...rest } = data;
  return { ...rest, payer: publicParty(payer), ...(payee ? { payee: publicParty(payee) } : {}) };
}
