// Port: tenants and hashed API tokens in the shared control plane (../dynamodb/control-plane).
import { createHash } from "node:crypto";
import { randomBase62 } from "../../platform/random";

const TOKEN = /^prl_([a-z0-9-]+)_([A-Za-z0-9]+)$/;

export type TenantRecord = {
  tenantId: string;
  region: string;
  /** How long idempotency keys live, ≥ 24 h. */
  idempotencyTtlSeconds: number;
  createdAt: string;
  /** Token hashes that currently authenticate this tenant. */
  activeTokenHashes: string[];
  /** Set by `payrail tenant delete`: its tokens are revoked and no new one is issued. */
  disabledAt?: string;
};

export type ApiTokenRecord = {
  tokenHash: string;
  tokenId: string;
  tenantId: string;
  scopes: string[];
  createdAt: string;
  revokedAt?: string;
};

export const SCOPES = {
  read: "payments:read",
  write: "payments:write",
  review: "payments:review",
  /** Tenant admin: webhook endpoints, their secrets and deliveries. */
  webhooks: "webhooks:manage",
} as const;

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The tenant a well-formed token claims to belong to (verified only by the table lookup). */
export function tenantOfApiToken(token: string): string | undefined {
  return TOKEN.exec(token)?.[1];
}

export function newApiToken(tenantId: string): string {
  return `prl_${tenantId}_${randomBase62(40)}`;
}

export interface ControlPlane {
  getTenant(tenantId: string): Promise<TenantRecord | undefined>;
  /** Creates the tenant unless it exists; false when it already did. */
  createTenant(tenant: TenantRecord): Promise<boolean>;
  getApiToken(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  /**
   * A token and the tenant it claims, read together in one call (the authorizer's, on
   * every request): either is undefined when it does not exist.
   */
  getApiTokenAndTenant(
    tokenHash: string,
    tenantId: string,
  ): Promise<{ token: ApiTokenRecord | undefined; tenant: TenantRecord | undefined }>;
  /** Stores the token (by hash) and, when `replace`, revokes the tenant's earlier tokens. */
  addApiToken(token: ApiTokenRecord, options: { replace: boolean }): Promise<void>;
  /** Revokes every token of the tenant and marks it disabled; false when it does not exist. */
  disableTenant(tenantId: string, at: string): Promise<boolean>;
}
