// Masked identifiers as the API returns them (Party.maskedAccount).

/** "DE89370400440532013000" → "DE89 **** **** 3000". */
export function maskIban(iban: string): string {
  const normalized = iban.replace(/ /g, "").toUpperCase();
  return `${normalized.slice(0, 4)} **** **** ${normalized.slice(-4)}`;
}

/** "000123456789" → "****6789". */
export function maskAccount(account: string): string {
  return `****${account.slice(-4)}`;
}

/** A card shown by its last four: "**** 4242". */
export function maskCard(last4: string): string {
  return `**** ${last4}`;
}

/** PIX keys and VPAs are addresses, not secrets, but are still shortened: "as***@okaxis". */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf("@");
  if (at < 0) return `${"*".repeat(Math.max(address.length - 4, 0))}${address.slice(-4)}`;
  return `${address.slice(0, Math.min(2, at))}***${address.slice(at)}`;
}
