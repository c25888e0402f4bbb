import { basename } from "node:path";
import type { PaymentType } from "../generated/graphql";
import { isCurrency } from "../money";
import { isRailName, type RailName } from "../rails/names";
import { type Fields, fieldsOf } from "./fields";
import { COUNTRY, CURRENCY, REGION_ID } from "./patterns";

export const PAYMENT_TYPES: readonly PaymentType[] = [
  "CARD",
  "SEPA_CREDIT",
  "ACH",
  "PIX",
  "UPI",
  "FASTER_PAYMENTS",
];

export type RegionConfig = {
  id: string;
  name: string;
  awsRegion: string;
  currencies: string[];
  /** Which rail adapter executes each payment type offered here. */
  rails: Partial<Record<PaymentType, RailName>>;
  /** Daily cut-off for same-day settlement, local time of `timeZone`. */
  cutOff: { time: string; timeZone: string };
  limits: { maxAmountMinor: Record<string, bigint> };
  blockedCountries: string[];
  /** How long a MANUAL-capture authorization may be captured (card networks: about 7 days). */
  authorizationHours: number;
};

export const DEFAULT_AUTHORIZATION_HOURS = 7 * 24;

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Validates a parsed `config/regions/<id>.yaml`; errors name `file` and the field. */
export function parseRegionConfig(document: unknown, file: string): RegionConfig {
  const f: Fields = fieldsOf(file);
  const doc = f.object(document, "");
  f.only(doc, "", [
    "id",
    "name",
    "awsRegion",
    "currencies",
    "rails",
    "cutOff",
    "limits",
    "blockedCountries",
    "authorizationHours",
  ]);
  const id = f.string(doc.id, "id", REGION_ID, "a lower-case id like eu");
  if (basename(file) !== `${id}.yaml`) f.fail("id", `must match the file name (${id}.yaml)`);
  const currencies = f.stringList(doc.currencies, "currencies", CURRENCY, "ISO 4217 codes");
  if (currencies.length === 0) f.fail("currencies", "must list at least one currency");
  currencies.forEach((code, i) => {
    if (!isCurrency(code)) f.fail(`currencies[${i}]`, `${code} is not an active ISO 4217 currency`);
  });

  const railsDoc = f.object(doc.rails, "rails");
  const rails: Partial<Record<PaymentType, RailName>> = {};
  for (const [type, rail] of Object.entries(railsDoc)) {
    if (!(PAYMENT_TYPES as readonly string[]).includes(type)) {
      f.fail(`rails.${type}`, `is not a payment type (${PAYMENT_TYPES.join(", ")})`);
    }
    const name = f.string(rail, `rails.${type}`);
    if (!isRailName(name)) f.fail(`rails.${type}`, `unknown rail adapter "${name}"`);
    rails[type as PaymentType] = name;
  }
  if (Object.keys(rails).length === 0) f.fail("rails", "must offer at least one payment type");

  const cutOffDoc = f.object(doc.cutOff, "cutOff");
  f.only(cutOffDoc, "cutOff", ["time", "timeZone"]);
  const time = f.string(cutOffDoc.time, "cutOff.time", /^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM (24h)");
  const timeZone = f.string(cutOffDoc.timeZone, "cutOff.timeZone");
  if (!isTimeZone(timeZone)) f.fail("cutOff.timeZone", `unknown IANA time zone "${timeZone}"`);

  const limitsDoc = f.object(doc.limits, "limits");
  f.only(limitsDoc, "limits", ["maxAmountMinor"]);
  const maxAmountMinor = f.minorAmounts(limitsDoc.maxAmountMinor, "limits.maxAmountMinor");
  for (const currency of Object.keys(maxAmountMinor)) {
    if (!currencies.includes(currency))
      f.fail(`limits.maxAmountMinor.${currency}`, "is not one of the region's currencies");
  }

  const authorizationHours = doc.authorizationHours ?? DEFAULT_AUTHORIZATION_HOURS;
  if (
    !Number.isInteger(authorizationHours) ||
    (authorizationHours as number) < 1 ||
    (authorizationHours as number) > 31 * 24
  )
    f.fail("authorizationHours", "must be a whole number of hours, 1-744");

  return {
    id,
    name: f.string(doc.name, "name"),
    authorizationHours: authorizationHours as number,
    awsRegion: f.string(
      doc.awsRegion,
      "awsRegion",
      /^[a-z]{2}(-[a-z]+)+-\d$/,
      "an AWS region like eu-west-1",
    ),
    currencies,
    rails,
    cutOff: { time, timeZone },
    limits: { maxAmountMinor },
    blockedCountries: f.stringList(
      doc.blockedCountries,
      "blockedCountries",
      COUNTRY,
      "ISO 3166-1 alpha-2 codes",
    ),
  };
}
