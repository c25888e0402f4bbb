// config/routing/{tenants,regions}/<id>.yaml: ordered rules, per payment type defaults and
// the failover budget. Checked against the processors' personalities so that a rule never
// names a processor that does not exist or does not serve the rule's payment types.
import { basename } from "node:path";
import type { PaymentType } from "../generated/graphql";
import { isCurrency } from "../money";
import type { Personality } from "../processors/personality";
import type {
  FailoverBudget,
  RoutingRule,
  RoutingTable,
  RoutingTarget,
  RuleMatch,
  WeightedProcessor,
} from "../routing/types";
import { type Fields, fieldsOf } from "./fields";
import { COUNTRY, CURRENCY } from "./patterns";
import { CARD_BRANDS } from "./processors";
import { PAYMENT_TYPES } from "./region";

const RULE_ID = /^[a-z][a-z0-9-]{0,63}$/;
const MINOR = /^(0|[1-9]\d{0,17})$/;

type Context = { f: Fields; personalities: ReadonlyMap<string, Personality> };

/** A processor name at `field`, known and serving one of `types` (any type when undefined). */
function processorName(ctx: Context, value: unknown, field: string, types?: readonly PaymentType[]): string {
  const name = ctx.f.string(value, field);
  const personality = ctx.personalities.get(name);
  if (!personality) ctx.f.fail(field, `unknown processor "${name}" (not in config/processors.yaml)`);
  if (types && !types.includes(personality.paymentType))
    ctx.f.fail(field, `${name} serves ${personality.paymentType}, not ${types.join("/")}`);
  return name;
}

function parseMatch({ f }: Context, value: unknown, at: string): RuleMatch {
  const doc = f.object(value ?? {}, at);
  f.only(doc, at, [
    "paymentTypes",
    "currencies",
    "amountMinor",
    "cardBrands",
    "binCountries",
    "payerCountries",
    "metadataKeys",
  ]);
  const match: {
    -readonly [K in keyof RuleMatch]: RuleMatch[K];
  } = {};
  const list = (key: string, pattern?: RegExp, hint?: string) =>
    doc[key] === undefined ? undefined : f.stringList(doc[key], `${at}.${key}`, pattern, hint);
  const types = list("paymentTypes");
  types?.forEach((type, i) => {
    if (!(PAYMENT_TYPES as readonly string[]).includes(type))
      f.fail(`${at}.paymentTypes[${i}]`, `must be one of ${PAYMENT_TYPES.join(", ")}`);
  });
  if (types) match.paymentTypes = types as PaymentType[];
  const currencies = list("currencies", CURRENCY, "ISO 4217 codes");
  currencies?.forEach((code, i) => {
    if (!isCurrency(code)) f.fail(`${at}.currencies[${i}]`, `${code} is not an active ISO 4217 currency`);
  });
  if (currencies) match.currencies = currencies;
  if (doc.amountMinor !== undefined) {
    const amount = f.object(doc.amountMinor, `${at}.amountMinor`);
    f.only(amount, `${at}.amountMinor`, ["min", "max"]);
    const bound = (key: "min" | "max") =>
      amount[key] === undefined
        ? undefined
        : BigInt(
            f.string(
              amount[key],
              `${at}.amountMinor.${key}`,
              MINOR,
              'a quoted decimal string of minor units, e.g. "100000"',
            ),
          );
    const min = bound("min");
    const max = bound("max");
    if (min !== undefined && max !== undefined && min > max)
      f.fail(`${at}.amountMinor.max`, "must not be below amountMinor.min");
    match.amountMinor = { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
  }
  const brands = list("cardBrands");
  brands?.forEach((brand, i) => {
    if (!(CARD_BRANDS as readonly string[]).includes(brand))
      f.fail(`${at}.cardBrands[${i}]`, `must be one of ${CARD_BRANDS.join(", ")}`);
  });
  if (brands) match.cardBrands = brands;
  const binCountries = list("binCountries", COUNTRY, "ISO 3166-1 alpha-2 codes");
  if (binCountries) match.binCountries = binCountries;
  const payerCountries = list("payerCountries", COUNTRY, "ISO 3166-1 alpha-2 codes");
  if (payerCountries) match.payerCountries = payerCountries;
  const metadataKeys = list("metadataKeys");
  if (metadataKeys) match.metadataKeys = metadataKeys;
  return match;
}

function parseTarget(
  ctx: Context,
  doc: Record<string, unknown>,
  at: string,
  types?: readonly PaymentType[],
): RoutingTarget {
  const { f } = ctx;
  if ((doc.processors === undefined) === (doc.split === undefined))
    f.fail(at, "must name exactly one of processors (a priority list) or split (weights)");
  if (doc.processors !== undefined) {
    const names = f.list(doc.processors, `${at}.processors`, "processor names");
    if (names.length === 0) f.fail(`${at}.processors`, "must name at least one processor");
    const processors = names.map((name, i) => processorName(ctx, name, `${at}.processors[${i}]`, types));
    if (new Set(processors).size !== processors.length)
      f.fail(`${at}.processors`, "must not repeat a processor");
    return { kind: "priority", processors };
  }
  const weights = f.object(doc.split, `${at}.split`);
  const split: WeightedProcessor[] = Object.entries(weights).map(([processor, weight]) => ({
    processor: processorName(ctx, processor, `${at}.split.${processor}`, types),
    weight: f.integer(weight, `${at}.split.${processor}`, 1, 10_000),
  }));
  if (split.length < 2) f.fail(`${at}.split`, "must split between at least two processors");
  return { kind: "split", split };
}

function parseBudget({ f }: Context, value: unknown): FailoverBudget | undefined {
  if (value === undefined) return undefined;
  const doc = f.object(value, "budget");
  f.only(doc, "budget", ["maxAttempts", "maxTotalMs"]);
  return {
    maxAttempts: f.integer(doc.maxAttempts, "budget.maxAttempts", 1, 10),
    maxTotalMs: f.integer(doc.maxTotalMs, "budget.maxTotalMs", 100, 120_000),
  };
}

/** Validates one routing document; `source` and the file name say whose it is. */
export function parseRoutingTable(
  document: unknown,
  file: string,
  source: "tenant" | "region",
  personalities: ReadonlyMap<string, Personality>,
): RoutingTable {
  const f = fieldsOf(file);
  const ctx: Context = { f, personalities };
  const doc = f.object(document, "");
  f.only(doc, "", ["budget", "rules", "defaults"]);
  const ids = new Set<string>();
  const rules = f.list(doc.rules ?? [], "rules", "rules").map((item, i): RoutingRule => {
    const at = `rules[${i}]`;
    const entry = f.object(item, at);
    f.only(entry, at, ["id", "match", "processors", "split"]);
    const id = f.string(entry.id, `${at}.id`, RULE_ID, "a lower-case id like eu-cards");
    if (ids.has(id) || id === "default") f.fail(`${at}.id`, `"${id}" is used twice or reserved`);
    ids.add(id);
    const match = parseMatch(ctx, entry.match, `${at}.match`);
    return { id, match, target: parseTarget(ctx, entry, at, match.paymentTypes) };
  });
  const defaultsDoc = f.object(doc.defaults ?? {}, "defaults");
  const defaults: Partial<Record<PaymentType, readonly string[]>> = {};
  for (const [type, value] of Object.entries(defaultsDoc)) {
    if (!(PAYMENT_TYPES as readonly string[]).includes(type))
      f.fail(`defaults.${type}`, `is not a payment type (${PAYMENT_TYPES.join(", ")})`);
    const names = f.list(value, `defaults.${type}`, "processor names");
    if (names.length === 0) f.fail(`defaults.${type}`, "must name at least one processor");
    defaults[type as PaymentType] = names.map((name, i) =>
      processorName(ctx, name, `defaults.${type}[${i}]`, [type as PaymentType]),
    );
  }
  const id = basename(file).replace(/\.yaml$/, "");
  const budget = parseBudget(ctx, doc.budget);
  return { source, id, rules, defaults, ...(budget ? { budget } : {}) };
}
