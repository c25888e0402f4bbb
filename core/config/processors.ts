// config/processors.yaml: every processor's sandbox personality and the circuit breaker's
// policy. Errors name the file and the field.
import type { PaymentType } from "../generated/graphql";
import { isCurrency } from "../money";
import type { CardBrand } from "../payment-methods/card-number";
import type { Fee, Personality } from "../processors/personality";
import { processorModule } from "../processors/registry";
import { type BreakerPolicy, DEFAULT_BREAKER } from "../routing/breaker";
import { type Fields, fieldsOf } from "./fields";
import { COUNTRY } from "./patterns";

export const CARD_BRANDS: readonly CardBrand[] = [
  "visa",
  "mastercard",
  "amex",
  "discover",
  "diners",
  "jcb",
  "unionpay",
  "maestro",
];

const MINOR = /^(0|[1-9]\d{0,17})$/;

export type ProcessorsConfig = { personalities: Map<string, Personality>; breaker: BreakerPolicy };

function parseBreaker(f: Fields, value: unknown): BreakerPolicy {
  if (value === undefined) return DEFAULT_BREAKER;
  const doc = f.object(value, "breaker");
  const keys = Object.keys(DEFAULT_BREAKER) as (keyof BreakerPolicy)[];
  f.only(doc, "breaker", keys);
  const policy = { ...DEFAULT_BREAKER };
  for (const key of keys) {
    if (doc[key] === undefined) continue;
    const max = key.endsWith("Bps") ? 10_000 : 86_400_000;
    policy[key] = f.integer(doc[key], `breaker.${key}`, 1, max);
  }
  if (policy.windowMs < policy.bucketMs) f.fail("breaker.windowMs", "must be at least breaker.bucketMs");
  return policy;
}

function parseFees(f: Fields, value: unknown, at: string): Record<string, Fee> {
  const doc = f.object(value, at);
  const fees: Record<string, Fee> = {};
  for (const [currency, entry] of Object.entries(doc)) {
    const field = `${at}.${currency}`;
    if (!isCurrency(currency)) f.fail(field, "key must be an active ISO 4217 currency code");
    const fee = f.object(entry, field);
    f.only(fee, field, ["fixedMinor", "bps"]);
    const fixedMinor = f.string(
      fee.fixedMinor,
      `${field}.fixedMinor`,
      MINOR,
      'a quoted decimal string of minor units, e.g. "25"',
    );
    fees[currency] = { fixedMinor: BigInt(fixedMinor), bps: f.integer(fee.bps, `${field}.bps`, 0, 10_000) };
  }
  if (Object.keys(fees).length === 0) f.fail(at, "must price at least one currency");
  return fees;
}

function parsePersonality(f: Fields, name: string, value: unknown): Personality {
  const at = `processors.${name}`;
  const module = processorModule(name);
  if (!module) f.fail(at, "is not a known processor (core/processors/registry.ts)");
  const doc = f.object(value, at);
  f.only(doc, at, [
    "paymentType",
    "fees",
    "countries",
    "brands",
    "latencyMs",
    "rates",
    "down",
    "slowCards",
    "refundSettlementHours",
    "refundBeforeSettlement",
  ]);
  const paymentType = f.string(doc.paymentType, `${at}.paymentType`) as PaymentType;
  if (paymentType !== module.paymentType) f.fail(`${at}.paymentType`, `must be ${module.paymentType}`);
  const brands = f.stringList(doc.brands, `${at}.brands`) as CardBrand[];
  brands.forEach((brand, i) => {
    if (!CARD_BRANDS.includes(brand))
      f.fail(`${at}.brands[${i}]`, `must be one of ${CARD_BRANDS.join(", ")}`);
  });
  const latency = f.object(doc.latencyMs, `${at}.latencyMs`);
  f.only(latency, `${at}.latencyMs`, ["median", "p99"]);
  const median = f.integer(latency.median, `${at}.latencyMs.median`, 1, 60_000);
  const p99 = f.integer(latency.p99, `${at}.latencyMs.p99`, median, 120_000);
  const rates = f.object(doc.rates ?? {}, `${at}.rates`);
  f.only(rates, `${at}.rates`, ["hardDeclineBps", "softDeclineBps", "unknownBps"]);
  const bps = (key: string) =>
    rates[key] === undefined ? 0 : f.integer(rates[key], `${at}.rates.${key}`, 0, 10_000);
  const parsedRates = {
    hardDeclineBps: bps("hardDeclineBps"),
    softDeclineBps: bps("softDeclineBps"),
    unknownBps: bps("unknownBps"),
  };
  if (parsedRates.hardDeclineBps + parsedRates.softDeclineBps + parsedRates.unknownBps > 10_000)
    f.fail(`${at}.rates`, "must not add up to more than 10000 basis points");
  if (doc.down !== undefined && typeof doc.down !== "boolean") f.fail(`${at}.down`, "must be true or false");
  const refundSettlementHours =
    doc.refundSettlementHours === undefined
      ? 0
      : f.integer(doc.refundSettlementHours, `${at}.refundSettlementHours`, 0, 720);
  if (doc.refundBeforeSettlement !== undefined && typeof doc.refundBeforeSettlement !== "boolean")
    f.fail(`${at}.refundBeforeSettlement`, "must be true or false");
  const slowCards: Record<string, number> = {};
  // Keyed by last four, never a whole number: config, and its errors, hold no card number.
  for (const [last4, ms] of Object.entries(f.object(doc.slowCards ?? {}, `${at}.slowCards`))) {
    // A wrong key is not echoed: it may be a whole card number.
    if (!/^\d{4}$/.test(last4))
      f.fail(`${at}.slowCards`, 'keys must be the last four digits of a test card, quoted ("0077")');
    slowCards[last4] = f.integer(ms, `${at}.slowCards.${last4}`, 1, 600_000);
  }
  return {
    name,
    paymentType,
    fees: parseFees(f, doc.fees, `${at}.fees`),
    countries: f.stringList(doc.countries, `${at}.countries`, COUNTRY, "ISO 3166-1 alpha-2 codes"),
    brands,
    latencyMs: { median, p99 },
    rates: parsedRates,
    down: doc.down === true,
    refundSettlementMs: refundSettlementHours * 3_600_000,
    refundBeforeSettlement: doc.refundBeforeSettlement !== false,
    slowCards,
  };
}

/** Validates a parsed config/processors.yaml. */
export function parseProcessorsConfig(document: unknown, file: string): ProcessorsConfig {
  const f = fieldsOf(file);
  const doc = f.object(document, "");
  f.only(doc, "", ["breaker", "processors"]);
  const list = f.object(doc.processors, "processors");
  const personalities = new Map<string, Personality>();
  for (const [name, value] of Object.entries(list)) personalities.set(name, parsePersonality(f, name, value));
  if (personalities.size === 0) f.fail("processors", "must configure at least one processor");
  return { personalities, breaker: parseBreaker(f, doc.breaker) };
}
