// Deterministic draws: the same (processor, payment, attempt, purpose) always gives the same
// number, so a sandbox answers a redelivery exactly as before and tests repeat.
import { createHash } from "node:crypto";

/** A uniform number in [0, 1) from the key's SHA-256 (48 bits). */
export function uniform(...key: readonly (string | number)[]): number {
  const digest = createHash("sha256").update(key.join("|")).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** A log-normal latency with the given median and 99th percentile (Box-Muller on two draws). */
export function logNormalMs(median: number, p99: number, u1: number, u2: number): number {
  const sigma = Math.log(p99 / median) / 2.326_348; // z of the 99th percentile
  const z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  return Math.round(median * Math.exp(sigma * z));
}
