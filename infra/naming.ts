// Names that only the AWS deployment has: stacks, roles, aliases, alarms, consumer groups,
// Glue names. Tables and buckets are named by core/storage/tables.ts, which
// the adapters and local provisioning use too. Every physical name built here or there is
// checked against its AWS length limit before synth (infra/name-limits.ts).

/** A CloudFormation stack of the app: `Payrail-<env>-<part>`. */
export const stackName = (env: string, part: string) => `Payrail-${env}-${part}`;

export const tenantStackName = (env: string, tenant: string) => stackName(env, `Tenant-${tenant}`);

/** `payrail-<env>-<part>-…`: clusters, registries, topics, alarms, rules, dashboards, ACLs. */
export const payrailName = (env: string, ...parts: string[]) => ["payrail", env, ...parts].join("-");

/** KMS alias of one of the app's keys (`streaming`, `control`, a tenant id, …). */
export const kmsAlias = (env: string, purpose: string) => `alias/${payrailName(env, purpose)}`;

/** Secrets Manager name of the platform secret. */
export const platformSecretName = (env: string) => `payrail/${env}/platform`;

/** WAF only logs to groups whose name starts with `aws-waf-logs-`. */
export const wafLogGroupName = (webAclName: string) => `aws-waf-logs-${webAclName}`;

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

/** The Glue database of the audit tables. */
export const auditDatabaseName = (env: string) => glueName("payrail", env, "audit");

/** The audit table of one Payrail region (the region is part of its tenants' bucket names). */
export const auditTableName = (region: string) => glueName("audit", region);
