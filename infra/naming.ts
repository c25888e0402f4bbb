// Physical names shared by the stacks and the local stack's contract
// (docs/architecture.md, "Tables and buckets"). One place, so a tenant's IAM scope
// and its resources can never drift apart.

export const TENANT_TABLES = ["payments", "payment-events", "idempotency", "vault", "risk"] as const;
export type TenantTable = (typeof TENANT_TABLES)[number];

export const tenantTableName = (env: string, tenant: string, table: TenantTable) =>
  `${env}-${tenant}-${table}`;

export const tenantBucketName = (env: string, tenant: string, region: string) =>
  `${env}-payrail-${tenant}-${region}`;

export const controlTableName = (env: string) => `${env}-payrail-control`;

export const tenantStackName = (env: string, tenant: string) => `Payrail-${env}-Tenant-${tenant}`;

/** Role a shared service assumes to act for one tenant; its policies name only that tenant. */
export const tenantServiceRoleName = (env: string, tenant: string, service: string) =>
  `payrail-${env}-${tenant}-${service}`;

/** Execution role of a shared service; the only principal a tenant service role trusts. */
export const serviceRoleName = (env: string, service: string) => `payrail-${env}-svc-${service}`;

export const consumerGroupId = (env: string, consumer: string) => `payrail-${env}-${consumer}`;

export const dlqTopic = (topic: string) => `${topic}.dlq`;

/** Glue and Athena names allow only lower-case letters, digits and underscores. */
export const glueName = (...parts: string[]) =>
  parts
    .join("_")
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_");
