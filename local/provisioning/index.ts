// Provisioning, one call per tenant: its tables (`<env>-<tenant>-*`), its bucket
// (`<env>-payrail-<tenant>-<region>`), its control-plane entry and an API token that is
// returned once (only its SHA-256 is stored). Idempotent: a re-run creates nothing and
// issues no token unless `rotate` asks for a new one (which revokes the old). A table made
// before an index of its definition existed is rebuilt with its items when `upgradeDir` says
// where to keep the backup (./table-rebuild); the payment rows with a refund waiting are then
// listed in byRefundWaiting, as the refund store lists them.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { dynamoDbControlPlane } from "../../consumers/persistence/dynamodb/control-plane";
import {
  type ControlPlane,
  hashApiToken,
  newApiToken,
  tenantOfApiToken,
} from "../../consumers/persistence/ports/control-plane";
import { MIN_TTL_SECONDS } from "../../consumers/persistence/ports/idempotency";
import type { TenantConfig } from "../../core/config";
import { TENANT_ID } from "../../core/config/patterns";
import { listsAsRefundWaiting, REFUND_WAITING_SHARD } from "../../core/storage/refund-waiting";
import {
  CONTROL_PLANE_DEFINITION,
  controlPlaneTable,
  PROCESSOR_HEALTH_DEFINITION,
  processorHealthTable,
  TENANT_TABLE_DEFINITIONS,
  type TenantTables,
  tenantBucket,
  tenantTables,
} from "../../core/storage/tables";
import { ensureBucket, ensureTable } from "./resources";
import type { Item, TableUpgrade } from "./table-rebuild";

/** The part of a tenant's config (config/tenants/*.yaml) provisioning needs. */
export type ProvisionableTenant = Pick<TenantConfig, "id" | "region" | "idempotencyTtlHours" | "scopes">;

export type ProvisioningTarget = { env: string; dynamodb: DynamoDBClient; s3: S3Client };

export type ProvisionOptions = {
  /** Issue a new API token and revoke the tenant's earlier ones. */
  rotate?: boolean;
  /** Register this token instead of generating one (e.g. one kept in .payrail/local.json). */
  apiToken?: string;
  /** The role in the tenant's `scopes` config the token gets (default: admin). */
  role?: string;
  /**
   * Where a table lacking an index is backed up while it is rebuilt (in the data dir, e.g.
   * `.payrail/dynamodb-upgrade`); without it such a table is refused (nothing to upgrade in memory).
   */
  upgradeDir?: string;
  /** Where the line on each rebuilt table goes (default: the console). */
  log?: (line: string) => void;
};

export type ProvisionedTenant = {
  tenantId: string;
  tables: TenantTables;
  bucket: string;
  /** Only when a token was issued by this call; it cannot be read back later. */
  apiToken?: string;
  /** Names of the tables and bucket this call created (empty on a re-run). */
  created: string[];
  /** Set when the control plane holds the tenant disabled: nothing was created or issued. */
  disabledAt?: string;
};

const DEFAULT_ROLE = "admin";

/** What a rebuild changes in each kind of row it restores: rows written before an index existed. */
const UPGRADE_ITEM: Partial<Record<keyof TenantTables, (item: Item) => Item>> = {
  payments: listIfRefundWaiting,
};

function listIfRefundWaiting(item: Item): Item {
  const waiting = item.refundsWaiting?.N;
  if (waiting === undefined || !listsAsRefundWaiting(Number(waiting))) return item;
  return { ...item, [REFUND_WAITING_SHARD.attribute]: { S: REFUND_WAITING_SHARD.value } };
}

export async function provisionControlPlane(target: Omit<ProvisioningTarget, "s3">): Promise<ControlPlane> {
  const table = controlPlaneTable(target.env);
  await ensureTable(target.dynamodb, table, CONTROL_PLANE_DEFINITION);
  // Shared by every tenant like the control plane: execution's circuit breakers (issue #14).
  await ensureTable(target.dynamodb, processorHealthTable(target.env), PROCESSOR_HEALTH_DEFINITION);
  return dynamoDbControlPlane(DynamoDBDocumentClient.from(target.dynamodb), table);
}

/** What `npm start` says of a tenant whose config is present but which the control plane holds disabled. */
export function disabledTenantLine(tenantId: string, disabledAt: string): string {
  return `tenant ${tenantId}: disabled since ${disabledAt} (payrail tenant delete); its config/tenants/${tenantId}.yaml is ignored, delete the file to silence this`;
}

export async function provisionTenant(
  tenant: ProvisionableTenant,
  target: ProvisioningTarget,
  options: ProvisionOptions = {},
): Promise<ProvisionedTenant> {
  const { id: tenantId, region } = tenant;
  if (!TENANT_ID.test(tenantId)) throw new Error(`tenant id "${tenantId}" must match ${TENANT_ID}`);
  const controlPlane = await provisionControlPlane(target);
  // Deleted with `payrail tenant delete` while its config stayed: left disabled, not revived.
  const existing = await controlPlane.getTenant(tenantId);
  if (existing?.disabledAt)
    return {
      tenantId,
      tables: tenantTables(target.env, tenantId),
      bucket: tenantBucket(target.env, tenantId, region),
      created: [],
      disabledAt: existing.disabledAt,
    };
  const tables = tenantTables(target.env, tenantId);
  const bucket = tenantBucket(target.env, tenantId, region);
  const upgrade = (kind: keyof TenantTables): TableUpgrade | undefined =>
    options.upgradeDir
      ? { dir: options.upgradeDir, upgradeItem: UPGRADE_ITEM[kind], log: options.log ?? console.log }
      : undefined;
  const made = await Promise.all([
    ...(Object.entries(tables) as [keyof TenantTables, string][]).map(async ([kind, name]) =>
      (await ensureTable(target.dynamodb, name, TENANT_TABLE_DEFINITIONS[kind], upgrade(kind))) ? [name] : [],
    ),
    ensureBucket(target.s3, bucket).then((createdNow) => (createdNow ? [bucket] : [])),
  ]);
  const created = made.flat();

  await controlPlane.createTenant({
    tenantId,
    region,
    idempotencyTtlSeconds: Math.max(tenant.idempotencyTtlHours * 3600, MIN_TTL_SECONDS),
    createdAt: new Date().toISOString(),
    activeTokenHashes: [],
  });
  const apiToken = await issueTokenIfNeeded(controlPlane, tenant, options);
  return { tenantId, tables, bucket, ...(apiToken ? { apiToken } : {}), created };
}

async function issueTokenIfNeeded(
  controlPlane: ControlPlane,
  tenant: ProvisionableTenant,
  options: ProvisionOptions,
): Promise<string | undefined> {
  const tenantId = tenant.id;
  const role = options.role ?? DEFAULT_ROLE;
  const scopes = tenant.scopes[role];
  if (!scopes) throw new Error(`tenant ${tenantId} has no role "${role}" in its scopes config`);
  const current = await controlPlane.getTenant(tenantId);
  const given = options.apiToken;
  if (given && tenantOfApiToken(given) !== tenantId)
    throw new Error(`apiToken does not belong to ${tenantId}`);
  if (given && current?.activeTokenHashes.includes(hashApiToken(given))) return undefined;
  if (!given && !options.rotate && (current?.activeTokenHashes.length ?? 0) > 0) return undefined;
  return issueApiToken(controlPlane, tenantId, {
    scopes,
    replace: Boolean(options.rotate),
    token: given,
  });
}

/** Issues a token for a provisioned tenant (e.g. a read/write-only one without review). */
export async function issueApiToken(
  controlPlane: ControlPlane,
  tenantId: string,
  options: { scopes: string[]; replace?: boolean; token?: string },
): Promise<string> {
  const token = options.token ?? newApiToken(tenantId);
  const tokenHash = hashApiToken(token);
  await controlPlane.addApiToken(
    {
      tokenHash,
      // Names the token in audit trails without revealing it.
      tokenId: `tk_${tokenHash.slice(0, 12)}`,
      tenantId,
      scopes: options.scopes,
      createdAt: new Date().toISOString(),
    },
    { replace: Boolean(options.replace) },
  );
  return token;
}
