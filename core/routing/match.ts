// Whether a rule's match holds for a payment. A field the payment does not carry (no BIN
// country for a bank transfer) fails a rule that asks for it.
import type { RoutingInput, RuleMatch } from "./types";

const within = (list: readonly string[] | undefined, value: string | null | undefined): boolean =>
  list === undefined || (value != null && list.includes(value));

export function ruleMatches(match: RuleMatch, input: RoutingInput): boolean {
  const { min, max } = match.amountMinor ?? {};
  return (
    within(match.paymentTypes, input.paymentType) &&
    within(match.currencies, input.amount.currency) &&
    (min === undefined || input.amount.minor >= min) &&
    (max === undefined || input.amount.minor <= max) &&
    within(match.cardBrands, input.cardBrand) &&
    within(match.binCountries, input.binCountry) &&
    within(match.payerCountries, input.payerCountry) &&
    (match.metadataKeys ?? []).every((key) => input.metadata != null && Object.hasOwn(input.metadata, key))
  );
}
