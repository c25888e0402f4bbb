// Deterministic draws: the same (processor, payment, attempt, purpose) always gives the same
// number, so a sandbox answers a redelivery exactly as before and tests repeat. The hash is
// cyrb53 (public domain, bryc): 53 well-mixed bits, cheap enough for the 100k-payment bench.

function cyrb53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A uniform number in [0, 1) from the key. */
export function uniform(...key: readonly (string | number)[]): number {
  return cyrb53(key.join("|")) / 2 ** 53;
}

/** A log-normal latency with the given median and 99th percentile (Box-Muller on two draws). */
export function logNormalMs(median: number, p99: number, u1: number, u2: number): number {
  const sigma = Math.log(p99 / median) / 2.326_348; // z of the 99th percentile
  const z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  return Math.round(median * Math.exp(sigma * z));
}
