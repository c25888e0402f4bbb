import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { ApiTokenRecord, ControlPlane, TenantRecord } from "../ports/control-plane";
import { batchGet } from "./batch-get";
import { conditionally } from "./conditional";

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

    async getApiTokenAndTenant(tokenHash, tenantId) {
      const found =
        (await batchGet(client, new Map([[tableName, [tokenKey(tokenHash), tenantKey(tenantId)]]]))).get(
          tableName,
        ) ?? [];
      const withKey = (pk: string) => {
        const item = found.find((candidate) => candidate.pk === pk);
        if (!item) return undefined;
        const { pk: _pk, ...record } = item;
        return record;
      };
      return {
        token: withKey(tokenKey(tokenHash).pk) as ApiTokenRecord | undefined,
        tenant: withKey(tenantKey(tenantId).pk) as TenantRecord | undefined,
      };
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
