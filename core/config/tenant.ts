import { basename } from "node:path";
import { type Fields, fieldsOf } from "./fields";
import { COUNTRY, CURRENCY, REGION_ID, TENANT_ID } from "./patterns";

/** Kafka ordering for a tenant's events: across all its payments (one partition per type) or per payment (the whole range). */
export type Ordering = "tenant" | "payment";

const ORDERINGS: readonly Ordering[] = ["tenant", "payment"];

export type TenantConfig = {
  id: string;
  name: string;
  region: string;
  limits: {
    /** Above this a payment goes to manual review (IN_REVIEW). */
    reviewThresholdMinor: Record<string, bigint>;
    /** Above this a payment is DECLINED `limit_exceeded`. */
    maxAmountMinor: Record<string, bigint>;
    velocity: { maxCount: number; windowSeconds: number };
  };
  idempotencyTtlHours: number;
  blockedCurrencies: string[];
  blockedCountries: string[];
  /** API token role → scopes granted, e.g. admin → payments:review. */
  scopes: Record<string, string[]>;
  /** Optional in YAML; `tenant` (the default) keeps today's one-partition-per-type order. */
  ordering: Ordering;
};

const SCOPE = /^[a-z]+:[a-z]+$/;

/** Validates a parsed `config/tenants/<id>.yaml`; errors name `file` and the field. */
export function parseTenantConfig(document: unknown, file: string): TenantConfig {
  const f: Fields = fieldsOf(file);
  const doc = f.object(document, "");
  f.only(doc, "", [
    "id",
    "name",
    "region",
    "limits",
    "idempotencyTtlHours",
    "blockedCurrencies",
    "blockedCountries",
    "scopes",
    "ordering",
  ]);
  const id = f.string(doc.id, "id", TENANT_ID, "2-32 characters of a-z 0-9 - starting with a letter");
  if (basename(file) !== `${id}.yaml`) f.fail("id", `must match the file name (${id}.yaml)`);

  const limitsDoc = f.object(doc.limits, "limits");
  f.only(limitsDoc, "limits", ["reviewThresholdMinor", "maxAmountMinor", "velocity"]);
  const reviewThresholdMinor = f.minorAmounts(limitsDoc.reviewThresholdMinor, "limits.reviewThresholdMinor");
  const maxAmountMinor = f.minorAmounts(limitsDoc.maxAmountMinor, "limits.maxAmountMinor");
  for (const [currency, threshold] of Object.entries(reviewThresholdMinor)) {
    const max = maxAmountMinor[currency];
    if (max === undefined)
      f.fail(`limits.maxAmountMinor.${currency}`, "is required where a review threshold is set");
    if (threshold > max)
      f.fail(`limits.reviewThresholdMinor.${currency}`, "must not exceed limits.maxAmountMinor");
  }
  const velocityDoc = f.object(limitsDoc.velocity, "limits.velocity");
  f.only(velocityDoc, "limits.velocity", ["maxCount", "windowSeconds"]);

  const scopesDoc = f.object(doc.scopes, "scopes");
  const scopes: Record<string, string[]> = {};
  for (const [role, list] of Object.entries(scopesDoc)) {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(role)) f.fail(`scopes.${role}`, "role must be a lower-case name");
    scopes[role] = f.stringList(list, `scopes.${role}`, SCOPE, "scopes like payments:write");
  }
  if (Object.keys(scopes).length === 0) f.fail("scopes", "must define at least one role");

  const ordering = doc.ordering ?? "tenant";
  if (!ORDERINGS.includes(ordering as Ordering)) f.fail("ordering", "must be tenant or payment");

  return {
    id,
    ordering: ordering as Ordering,
    name: f.string(doc.name, "name"),
    region: f.string(doc.region, "region", REGION_ID, "a region id like eu"),
    limits: {
      reviewThresholdMinor,
      maxAmountMinor,
      velocity: {
        maxCount: f.integer(velocityDoc.maxCount, "limits.velocity.maxCount", 1, 1_000_000),
        windowSeconds: f.integer(velocityDoc.windowSeconds, "limits.velocity.windowSeconds", 1, 31 * 86_400),
      },
    },
    // At least a day so a retrying client is always recognized; at most 31 days (the event retention).
    idempotencyTtlHours: f.integer(doc.idempotencyTtlHours, "idempotencyTtlHours", 24, 744),
    blockedCurrencies: f.stringList(doc.blockedCurrencies, "blockedCurrencies", CURRENCY, "ISO 4217 codes"),
    blockedCountries: f.stringList(
      doc.blockedCountries,
      "blockedCountries",
      COUNTRY,
      "ISO 3166-1 alpha-2 codes",
    ),
    scopes,
  };
}

/** The YAML-ready form: bigints as decimal strings. */
export function tenantDocument(tenant: TenantConfig): Record<string, unknown> {
  const strings = (amounts: Record<string, bigint>) =>
    Object.fromEntries(Object.entries(amounts).map(([currency, minor]) => [currency, minor.toString()]));
  return {
    ...tenant,
    limits: {
      reviewThresholdMinor: strings(tenant.limits.reviewThresholdMinor),
      maxAmountMinor: strings(tenant.limits.maxAmountMinor),
      velocity: tenant.limits.velocity,
    },
  };
}
