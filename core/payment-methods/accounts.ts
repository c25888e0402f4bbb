// Domestic account identifiers: US ACH (ABA routing + account) and UK Faster Payments.

// Federal Reserve routing symbol prefixes: 00-12 banks, 21-32 thrifts, 61-72 electronic, 80 traveller's cheques.
function validRoutingPrefix(prefix: number): boolean {
  return prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
}

/** ABA routing number: 9 digits, known prefix, 3-7-1 weighted checksum divisible by 10. */
export function isValidAbaRouting(routing: string): boolean {
  if (!/^\d{9}$/.test(routing) || !validRoutingPrefix(Number(routing.slice(0, 2)))) return false;
  const d = [...routing].map(Number);
  const sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
  return sum % 10 === 0;
}

export function isValidAchAccount(account: string): boolean {
  return /^\d{4,17}$/.test(account);
}

/** UK sort code, six digits, typed as 123456 or 12-34-56; returns the six digits or undefined. */
export function normalizeSortCode(sortCode: string): string | undefined {
  return /^\d{6}$/.test(sortCode) || /^\d{2}-\d{2}-\d{2}$/.test(sortCode)
    ? sortCode.replace(/-/g, "")
    : undefined;
}

export function isValidUkAccountNumber(account: string): boolean {
  return /^\d{8}$/.test(account);
}
