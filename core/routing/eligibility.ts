// Whether a processor's personality can take a payment at all, and if not, why.
import type { Personality } from "../processors/personality";
import type { RoutingInput } from "./types";

export function ineligibility(personality: Personality | undefined, input: RoutingInput): string | undefined {
  if (!personality) return "not configured";
  if (personality.paymentType !== input.paymentType) return `serves ${personality.paymentType} only`;
  if (!personality.fees[input.amount.currency]) return `does not take ${input.amount.currency}`;
  const country =
    input.paymentType === "CARD" ? (input.binCountry ?? input.payerCountry) : input.payerCountry;
  if (country && personality.countries.length > 0 && !personality.countries.includes(country))
    return `does not serve ${country}`;
  const brand = input.cardBrand;
  if (brand && personality.brands.length > 0 && !(personality.brands as readonly string[]).includes(brand))
    return `does not take ${brand}`;
  return undefined;
}
