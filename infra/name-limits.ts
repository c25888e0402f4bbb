// Every physical name the CDK app derives from the env name, the tenants, the regions and
// config/pipeline.yaml, with the length AWS allows it. buildPayrail checks them all before
// it creates a construct, so an over-long name stops synth with one message listing every
// offender and the inputs to shorten, instead of failing a CloudFormation deploy half-way.
// Names are never truncated: tables, buckets and roles are contracts that the adapters and
// the local stack compute the same way (core/storage/tables.ts).

import { allTopics } from "../core/config";
import { controlPlaneTable, processorHealthTable, tenantBucket, tenantTables } from "../core/storage/tables";
import { TOPICS_SERVICE } from "./constructs/kafka-topics";
import {
  auditDatabaseName,
  auditTableName,
  consumerGroupId,
  kmsAlias,
  payrailName,
  platformSecretName,
  serviceRoleName,
  stackName,
  tenantServiceRoleName,
  tenantStackName,
  wafLogGroupName,
} from "./naming";
import type { PayrailSources } from "./payrail-app";
import { serviceOfHandler } from "./service-topics";
import { apiHandlers } from "./stacks/api-stack";
import { AUTH_SWEEPER, OUTBOX_RELAY, WEBHOOK_SEND } from "./stacks/services-stack";
import { TENANT_SERVICE_ACCESS } from "./tenant-access";

/** Maximum length of each kind of name, from the AWS API / CloudFormation references. */
export const NAME_LIMITS = {
  "CloudFormation stack name": 128,
  "IAM role name": 64,
  "S3 bucket name": 63,
  "DynamoDB table name": 255,
  "KMS alias name": 256,
  "Secrets Manager secret name": 512,
  "MSK cluster name": 64,
  "Kafka topic name": 249,
  "Kafka consumer group id": 200,
  "EventBridge rule name": 64,
  // Not named by the app today (CloudFormation generates them); listed for when one is.
  "Lambda function name": 64,
  "SQS queue name": 80,
  "CloudWatch alarm name": 255,
  "CloudWatch dashboard name": 255,
  "CloudWatch Logs log group name": 512,
  "SNS topic name": 256,
  "AppSync API name": 65_536,
  "WAF web ACL name": 128,
  "Glue registry name": 255,
  "Glue schema name": 255,
  "Glue database name": 255,
  "Glue table name": 255,
  "Athena workgroup name": 128,
} as const;

export type NameKind = keyof typeof NAME_LIMITS;

/** A value a name is built from, and where an operator changes it. */
export type NameInput = { what: string; value: string; from: string };

export type DerivedName = { kind: NameKind; name: string; inputs: NameInput[] };

export type NameViolation = DerivedName & { length: number; limit: number };

export type NameSources = Pick<PayrailSources, "config" | "api" | "eventSchemas">;

/** Every physical name the app gives a resource for this env and these sources. */
export function derivedNames(envName: string, sources: NameSources): DerivedName[] {
  const names: DerivedName[] = [];
  const env: NameInput = { what: "env name", value: envName, from: "context payrail:env" };
  const add = (kind: NameKind, name: string, ...inputs: NameInput[]) =>
    names.push({ kind, name, inputs: [env, ...inputs] });
  const { pipeline } = sources.config;
  const tenants = [...sources.config.tenants.values()];

  for (const part of ["Streaming", "Catalog", "Api", "Services"])
    add("CloudFormation stack name", stackName(envName, part));
  for (const purpose of ["streaming", "platform", "control", "alarms"])
    add("KMS alias name", kmsAlias(envName, purpose));

  // Streaming: the cluster, the topics of config/pipeline.yaml and their `.dlq` twins.
  add("MSK cluster name", payrailName(envName));
  for (const { name } of allTopics(pipeline))
    names.push({ kind: "Kafka topic name", name, inputs: [topicInput(name)] });

  // Shared services: execution roles of the API handlers, the consumers, the relay, the topic handler.
  const services = new Map<string, NameInput>();
  for (const handler of apiHandlers(sources.api))
    services.set(serviceOfHandler(handler), {
      what: "service",
      value: serviceOfHandler(handler),
      from: `API handler ${handler}`,
    });
  for (const consumer of pipeline.consumers) services.set(consumer.name, consumerInput(consumer.name));
  for (const service of [OUTBOX_RELAY.service, WEBHOOK_SEND.service, AUTH_SWEEPER.service, TOPICS_SERVICE])
    services.set(service, { what: "service", value: service, from: "infra/ (fixed)" });
  for (const [service, input] of services) add("IAM role name", serviceRoleName(envName, service), input);

  // Api stack.
  add("Secrets Manager secret name", platformSecretName(envName));
  add("DynamoDB table name", controlPlaneTable(envName));
  add("DynamoDB table name", processorHealthTable(envName));
  add("AppSync API name", payrailName(envName));
  add("WAF web ACL name", payrailName(envName, "api"));
  add("CloudWatch Logs log group name", wafLogGroupName(payrailName(envName, "api")));

  // Services stack: alarm topic, dashboard, per-consumer groups and alarms, the relay's rule.
  add("SNS topic name", payrailName(envName, "alarms"));
  add("CloudWatch dashboard name", payrailName(envName));
  for (const consumer of pipeline.consumers) {
    const c = consumerInput(consumer.name);
    add("CloudWatch alarm name", payrailName(envName, consumer.name, "errors"), c);
    add("CloudWatch alarm name", payrailName(envName, consumer.name, "offset-lag"), c);
    for (const topic of consumer.topics) {
      add("Kafka consumer group id", consumerGroupId(envName, consumer.name, topic), c, topicInput(topic));
      add("CloudWatch alarm name", payrailName(envName, consumer.name, topic, "dlq"), c, topicInput(topic));
    }
  }
  add("EventBridge rule name", payrailName(envName, OUTBOX_RELAY.service));
  add("CloudWatch alarm name", payrailName(envName, OUTBOX_RELAY.service, "errors"));
  add("EventBridge rule name", payrailName(envName, WEBHOOK_SEND.service));
  add("CloudWatch alarm name", payrailName(envName, WEBHOOK_SEND.service, "errors"));
  add("EventBridge rule name", payrailName(envName, AUTH_SWEEPER.service));
  add("CloudWatch alarm name", payrailName(envName, AUTH_SWEEPER.service, "errors"));

  // Catalog stack: schema registry, audit database and one audit table per region.
  add("Glue registry name", payrailName(envName));
  for (const type of new Set(sources.eventSchemas.map((s) => s.type)))
    names.push({
      kind: "Glue schema name",
      name: type,
      inputs: [{ what: "event type", value: type, from: "core/events" }],
    });
  add("Glue database name", auditDatabaseName(envName));
  for (const region of new Set(tenants.map((t) => t.region)))
    names.push({ kind: "Glue table name", name: auditTableName(region), inputs: [regionInput(region)] });
  add("Athena workgroup name", payrailName(envName, "audit"));

  // One stack per tenant: key, tables, bucket, one role per shared service.
  for (const tenant of tenants) {
    const t: NameInput = { what: "tenant id", value: tenant.id, from: "config/tenants/*.yaml `id`" };
    const r = regionInput(tenant.region);
    add("CloudFormation stack name", tenantStackName(envName, tenant.id), t);
    add("KMS alias name", kmsAlias(envName, tenant.id), t);
    for (const table of Object.values(tenantTables(envName, tenant.id))) add("DynamoDB table name", table, t);
    add("S3 bucket name", tenantBucket(envName, tenant.id, tenant.region), t, r);
    for (const service of Object.keys(TENANT_SERVICE_ACCESS))
      add("IAM role name", tenantServiceRoleName(envName, tenant.id, service), t, {
        what: "service",
        value: service,
        from: "infra/tenant-access.ts",
      });
  }
  return names;
}

const consumerInput = (name: string): NameInput => ({
  what: "consumer",
  value: name,
  from: "config/pipeline.yaml consumers[].name",
});
const topicInput = (name: string): NameInput => ({
  what: "topic",
  value: name,
  from: "config/pipeline.yaml topics[].name",
});
const regionInput = (id: string): NameInput => ({
  what: "region id",
  value: id,
  from: "config/regions/*.yaml `id` (the tenant's `region`)",
});

export function nameViolations(names: readonly DerivedName[]): NameViolation[] {
  return names
    .map((n) => ({ ...n, length: n.name.length, limit: NAME_LIMITS[n.kind] }))
    .filter((n) => n.length > n.limit);
}

export class NameLimitError extends Error {
  constructor(
    readonly envName: string,
    readonly violations: readonly NameViolation[],
  ) {
    const lines = violations.map((v) => {
      const inputs = v.inputs.map((i) => `${i.what} "${i.value}" (${i.from})`).join(", ");
      return `  - ${v.kind} "${v.name}" is ${v.length} characters, the limit is ${v.limit}; shorten: ${inputs}`;
    });
    super(
      [
        `${violations.length} AWS resource name(s) derived for env "${envName}" exceed their length limits.`,
        "Payrail does not truncate names (local code derives the same ones); shorten an input below:",
        ...lines,
      ].join("\n"),
    );
    this.name = "NameLimitError";
  }
}

/** Throws NameLimitError listing every derived name longer than AWS allows. */
export function checkNameLimits(envName: string, sources: NameSources): void {
  const violations = nameViolations(derivedNames(envName, sources));
  if (violations.length > 0) throw new NameLimitError(envName, violations);
}
