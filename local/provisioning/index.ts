// Provisioning, one call per tenant: its tables (`<env>-<tenant>-*`), its bucket
// (`<env>-payrail-<tenant>-<region>`), its control-plane entry and an API token that is
// returned once (only its SHA-256 is stored). Idempotent: a re-run creates nothing and
// issues no token unless `rotate` asks for a new one (which revokes the old).
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
  const made = await Promise.all([
    ...(Object.entries(tables) as [keyof TenantTables, string][]).map(async ([kind, name]) =>
      (await ensureTable(target.dynamodb, name, TENANT_TABLE_DEFINITIONS[kind])) ? [name] : [],
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
