// Names that only the AWS deployment has: stacks, roles, consumer groups, Glue names.
// Tables and buckets are named by consumers/shared/persistence/tables.ts, which the
// adapters and local provisioning use too.

export const tenantStackName = (env: string, tenant: string) => `Payrail-${env}-Tenant-${tenant}`;

/** Role a shared service assumes to act for one tenant; its policies name only that tenant. */
export const tenantServiceRoleName = (env: string, tenant: string, service: string) =>
  `payrail-${env}-${tenant}-${service}`;

/** Execution role of a shared service; the only principal a tenant service role trusts. */
export const serviceRoleName = (env: string, service: string) => `payrail-${env}-svc-${service}`;

/** Lambda requires a consumer group per event source mapping, hence per consumer and topic. */
export const consumerGroupId = (env: string, consumer: string, topic: string) =>
  `payrail-${env}-${consumer}.${topic}`;

/** Glue and Athena names allow only lower-case letters, digits and underscores. */
export const glueName = (...parts: string[]) =>
  parts
    .join("_")
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_");
