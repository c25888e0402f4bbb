// A synthetic but plausible card traffic mix for one EU tenant: brands, BIN countries and
// log-normal amounts, drawn deterministically from the seed (same seed, same payments).
import { uniform } from "../../core/processors/draw";
import type { RoutingInput } from "../../core/routing";

/** Cumulative pick from `[value, weight]` pairs. */
function weighted<T>(pairs: readonly (readonly [T, number])[], u: number): T {
  const total = pairs.reduce((sum, [, w]) => sum + w, 0);
  let cumulative = 0;
  for (const [value, weight] of pairs) {
    cumulative += weight;
    if (u * total < cumulative) return value;
  }
  return (pairs[pairs.length - 1] as readonly [T, number])[0];
}

const BRANDS = [
  ["visa", 56],
  ["mastercard", 35],
  ["amex", 7],
  ["maestro", 2],
] as const;
const BIN_COUNTRIES = [
  ["DE", 38],
  ["FR", 20],
  ["NL", 10],
  ["GB", 10],
  ["US", 12],
  ["BR", 5],
  ["IN", 5],
] as const;

export type SyntheticPayment = RoutingInput & { paymentId: string; arrivalMs: number };

export function syntheticPayments(count: number, seed: string, spanMs: number): SyntheticPayment[] {
  return Array.from({ length: count }, (_, i) => {
    const paymentId = `pay_${seed}_${i}`;
    const u = (purpose: string) => uniform(seed, i, purpose);
    // Log-normal amount: median EUR 40.00, sigma 1.2 (about 2% at or above EUR 500.00).
    const z = Math.sqrt(-2 * Math.log(1 - u("a1"))) * Math.cos(2 * Math.PI * u("a2"));
    const minor = BigInt(Math.max(50, Math.round(4000 * Math.exp(1.2 * z))));
    const binCountry = weighted(BIN_COUNTRIES, u("country"));
    return {
      paymentId,
      arrivalMs: Math.floor((i * spanMs) / count),
      paymentType: "CARD",
      amount: { minor, currency: "EUR" },
      cardBrand: weighted(BRANDS, u("brand")),
      binCountry,
      payerCountry: binCountry,
      metadata: null,
    };
  });
}
