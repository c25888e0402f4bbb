// The shared control-plane table `<env>-payrail-control`: one item per tenant
// (`tenant#<id>`) and one per API token (`token#<sha256 of the token>`). A token is
// shown once when issued; only its hash is stored, so a leaked table leaks no token.
import { createHash } from "node:crypto";
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { randomBase62 } from "../platform/random";
import { conditionally } from "./conditional";

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

const TOKEN = /^prl_([a-z0-9-]+)_([A-Za-z0-9]+)$/;

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
  /** Stores the token (by hash) and, when `replace`, revokes the tenant's earlier tokens. */
  addApiToken(token: ApiTokenRecord, options: { replace: boolean }): Promise<void>;
  /** Revokes every token of the tenant and marks it disabled; false when it does not exist. */
  disableTenant(tenantId: string, at: string): Promise<boolean>;
}

const tenantKey = (tenantId: string) => ({ pk: `tenant#${tenantId}` });
const tokenKey = (tokenHash: string) => ({ pk: `token#${tokenHash}` });

export function dynamoDbControlPlane(client: DynamoDBDocumentClient, tableName: string): ControlPlane {
  async function getTenant(tenantId: string) {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: tenantKey(tenantId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, ...tenant } = Item;
    return tenant as TenantRecord;
  }

  const revoke = (hashes: string[], at: string) =>
    Promise.all(
      hashes.map((hash) =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: tokenKey(hash),
            UpdateExpression: "SET revokedAt = :now",
            ExpressionAttributeValues: { ":now": at },
          }),
        ),
      ),
    );

  return {
    getTenant,

    createTenant(tenant) {
      return conditionally(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...tenantKey(tenant.tenantId), ...tenant },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
    },

    async getApiToken(tokenHash) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: tokenKey(tokenHash) }));
      if (!Item) return undefined;
      const { pk: _pk, ...token } = Item;
      return token as ApiTokenRecord;
    },

    async addApiToken(token, { replace }) {
      const tenant = await getTenant(token.tenantId);
      if (!tenant) throw new Error(`tenant ${token.tenantId} is not provisioned`);
      if (tenant.disabledAt) throw new Error(`tenant ${token.tenantId} is disabled`);
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...tokenKey(token.tokenHash), ...token },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      const revoked = replace ? tenant.activeTokenHashes : [];
      await revoke(revoked, token.createdAt);
      const active = [...tenant.activeTokenHashes.filter((hash) => !revoked.includes(hash)), token.tokenHash];
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: tenantKey(token.tenantId),
          UpdateExpression: "SET activeTokenHashes = :active",
          ExpressionAttributeValues: { ":active": active },
        }),
      );
    },

    async disableTenant(tenantId, at) {
      // Disabled first, so that no token can be added while the old ones are revoked.
      const disabled = await conditionally(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: tenantKey(tenantId),
            UpdateExpression: "SET disabledAt = if_not_exists(disabledAt, :at)",
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeValues: { ":at": at },
          }),
        ),
      );
      if (!disabled) return false;
      const tenant = await getTenant(tenantId);
      await revoke(tenant?.activeTokenHashes ?? [], at);
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: tenantKey(tenantId),
          UpdateExpression: "SET activeTokenHashes = :none",
          ExpressionAttributeValues: { ":none": [] },
        }),
      );
      return true;
    },
  };
}
