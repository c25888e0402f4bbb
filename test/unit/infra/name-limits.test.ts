// The synth-time name check (infra/name-limits.ts): the shipped config passes, an input
// the config loader accepts but AWS would reject stops synth with one message naming every
// offender, and the table of derived names is exactly the set of physical names the
// synthesized templates carry, so no named resource escapes the check.
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseTenantConfig, type TenantConfig } from "../../../core/config";
import {
  checkNameLimits,
  derivedNames,
  NAME_LIMITS,
  type NameKind,
  NameLimitError,
  nameViolations,
} from "../../../infra/name-limits";
import { tenantServiceRoleName } from "../../../infra/naming";
import type { PayrailSources } from "../../../infra/payrail-app";
import { buildPayrail } from "../../../infra/payrail-app";
import { settingsFromContext } from "../../../infra/settings";
import { loadSources } from "../../../infra/sources";
import { TENANT_SERVICE_ACCESS } from "../../../infra/tenant-access";
import { cdkJsonContext, REPO_ROOT, type Synthesized, synthPayrail, templateOf } from "./synth";

/** The longest env name infra/settings.ts accepts (2-12 lower-case letters/digits). */
const LONGEST_ENV = "abcdefghijkl";

/** A tenant from the shipped acme.yaml with another id (and optionally region), parsed by core/config. */
function tenantLike(id: string, region?: string): TenantConfig {
  const doc = parse(readFileSync(join(REPO_ROOT, "config/tenants/acme.yaml"), "utf8")) as Record<
    string,
    unknown
  >;
  // The loader wants the id to match the file name: as if written to config/tenants/<id>.yaml.
  return parseTenantConfig(
    { ...doc, id, ...(region ? { region } : {}) },
    join(REPO_ROOT, `config/tenants/${id}.yaml`),
  );
}

function withTenant(sources: PayrailSources, tenant: TenantConfig): PayrailSources {
  const tenants = new Map(sources.config.tenants);
  tenants.set(tenant.id, tenant);
  return { ...sources, config: { ...sources.config, tenants } };
}

describe("the shipped config", () => {
  it("passes for the default env and for the longest env name allowed", async () => {
    const sources = await loadSources(REPO_ROOT);
    for (const env of ["dev", "prod", LONGEST_ENV]) {
      expect(nameViolations(derivedNames(env, sources))).toEqual([]);
      expect(() => checkNameLimits(env, sources)).not.toThrow();
    }
  });
});

describe("a tenant id the config loader accepts but AWS names cannot hold", () => {
  // 32 characters: the longest TENANT_ID (core/config/patterns.ts) allows.
  const longId = "northwind-traders-international1";

  it("is a valid tenant id", () => {
    expect(longId).toHaveLength(32);
    expect(tenantLike(longId).id).toBe(longId);
  });

  it("fits the dev env: the longest role, payrail-dev-<id>-outbox-relay, is 57", async () => {
    const sources = withTenant(await loadSources(REPO_ROOT), tenantLike(longId));
    expect(tenantServiceRoleName("dev", longId, "outbox-relay")).toHaveLength(57);
    expect(() => checkNameLimits("dev", sources)).not.toThrow();
  });

  it("fails synth under a 12-character env name, listing every name over its limit", async () => {
    const context = { "payrail:env": LONGEST_ENV };
    const error = await synthPayrail({ context, sources: (s) => withTenant(s, tenantLike(longId)) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NameLimitError);
    const { message, violations } = error as NameLimitError;

    // 8 + 12 + 1 + 32 + 1 + 12: the roles of the 12-character services are 66.
    const role = tenantServiceRoleName(LONGEST_ENV, longId, "outbox-relay");
    expect(role).toHaveLength(66);
    expect(message).toContain(
      `IAM role name "${role}" is 66 characters, the limit is 64; shorten: env name "${LONGEST_ENV}" (context payrail:env), tenant id "${longId}" (config/tenants/*.yaml \`id\`), service "outbox-relay" (infra/tenant-access.ts)`,
    );
    const expected = Object.keys(TENANT_SERVICE_ACCESS)
      .map((service) => tenantServiceRoleName(LONGEST_ENV, longId, service))
      .filter((name) => name.length > 64)
      .sort();
    expect(expected).toEqual(
      ["auth-sweeper", "outbox-relay", "payments-api", "webhook-send", "webhooks-api"]
        .map((service) => tenantServiceRoleName(LONGEST_ENV, longId, service))
        .sort(),
    );
    expect(violations.map((v) => v.name).sort()).toEqual(expected);
    expect(violations.every((v) => v.kind === "IAM role name" && v.limit === 64)).toBe(true);
    // One line per offender, and nothing about the names that fit.
    expect(message.split("\n").filter((line) => line.startsWith("  - "))).toHaveLength(5);
    expect(message).not.toContain(tenantServiceRoleName(LONGEST_ENV, longId, "initiation"));
  });

  it("throws before buildPayrail creates any stack", async () => {
    const sources = withTenant(await loadSources(REPO_ROOT), tenantLike(longId));
    const app = new App({ context: { ...cdkJsonContext(), "payrail:env": LONGEST_ENV } });
    expect(() => buildPayrail(app, settingsFromContext(app.node, REPO_ROOT), sources)).toThrow(
      NameLimitError,
    );
    expect(app.node.children).toHaveLength(0);
  });

  it("names the bucket, the env and the region when a region id makes the bucket too long", async () => {
    const sources = await loadSources(REPO_ROOT);
    // 12 + 32 + 2: `abcdefghijkl-payrail-<id>-eu` is 56, within S3's 63 (the roles break first).
    const fits = `${LONGEST_ENV}-payrail-${longId}-eu`;
    expect(fits).toHaveLength(56);
    const first = thrown(() => checkNameLimits(LONGEST_ENV, withTenant(sources, tenantLike(longId))));
    expect(first.violations.map((v) => v.kind)).not.toContain("S3 bucket name");

    // A 16-character region id (the longest REGION_ID allows) makes it 70.
    const region = "eu-central-west1";
    const second = thrown(() =>
      checkNameLimits(LONGEST_ENV, withTenant(sources, { ...tenantLike(longId), region })),
    );
    const bucket = `${LONGEST_ENV}-payrail-${longId}-${region}`;
    expect(bucket).toHaveLength(70);
    expect(second.message).toContain(
      `S3 bucket name "${bucket}" is 70 characters, the limit is 63; shorten: env name "${LONGEST_ENV}" (context payrail:env), tenant id "${longId}" (config/tenants/*.yaml \`id\`), region id "${region}"`,
    );
    // The region's audit table is named after it too, within Glue's 255.
    expect(second.violations.map((v) => v.kind)).not.toContain("Glue table name");
  });
});

function thrown(run: () => void): NameLimitError {
  try {
    run();
  } catch (error) {
    if (error instanceof NameLimitError) return error;
    throw error;
  }
  throw new Error("expected a NameLimitError");
}

describe("the longest inputs the patterns allow", () => {
  it("overflow exactly the roles, the bucket, the consumer groups and the DLQ alarms (docs/infra.md)", async () => {
    const shipped = await loadSources(REPO_ROOT);
    const tenant = { ...tenantLike("t".repeat(32)), region: "r".repeat(16) };
    const consumer = {
      ...shipped.config.pipeline.consumers[0],
      name: "c".repeat(32),
      topics: ["p".repeat(202)],
    };
    const topic = {
      ...shipped.config.pipeline.topics[0],
      name: "p".repeat(202),
      dlq: `${"p".repeat(202)}.dlq`,
    };
    const sources = withTenant(shipped, tenant);
    const pipeline = { ...sources.config.pipeline, topics: [topic], consumers: [consumer] };
    const violations = nameViolations(
      derivedNames(LONGEST_ENV, { ...sources, config: { ...sources.config, pipeline } }),
    );
    const longest = new Map<string, number>();
    for (const v of violations) longest.set(v.kind, Math.max(longest.get(v.kind) ?? 0, v.length));
    expect(Object.fromEntries(longest)).toEqual({
      "IAM role name": 66,
      "S3 bucket name": 70,
      "Kafka consumer group id": 256,
      "CloudWatch alarm name": 260,
    });
  });
});

describe("the limits table", () => {
  /** Where each resource type carries its physical name, and which limit applies. */
  const PHYSICAL_NAMES: Record<string, { path: string[]; kind: NameKind }> = {
    "AWS::IAM::Role": { path: ["RoleName"], kind: "IAM role name" },
    "AWS::S3::Bucket": { path: ["BucketName"], kind: "S3 bucket name" },
    "AWS::DynamoDB::Table": { path: ["TableName"], kind: "DynamoDB table name" },
    "AWS::KMS::Alias": { path: ["AliasName"], kind: "KMS alias name" },
    "AWS::SecretsManager::Secret": { path: ["Name"], kind: "Secrets Manager secret name" },
    "AWS::MSK::ServerlessCluster": { path: ["ClusterName"], kind: "MSK cluster name" },
    "AWS::MSK::Cluster": { path: ["ClusterName"], kind: "MSK cluster name" },
    "AWS::Lambda::EventSourceMapping": {
      path: ["AmazonManagedKafkaEventSourceConfig", "ConsumerGroupId"],
      kind: "Kafka consumer group id",
    },
    "AWS::Events::Rule": { path: ["Name"], kind: "EventBridge rule name" },
    "AWS::CloudWatch::Alarm": { path: ["AlarmName"], kind: "CloudWatch alarm name" },
    "AWS::CloudWatch::Dashboard": { path: ["DashboardName"], kind: "CloudWatch dashboard name" },
    "AWS::Logs::LogGroup": { path: ["LogGroupName"], kind: "CloudWatch Logs log group name" },
    "AWS::SNS::Topic": { path: ["TopicName"], kind: "SNS topic name" },
    "AWS::AppSync::GraphQLApi": { path: ["Name"], kind: "AppSync API name" },
    "AWS::WAFv2::WebACL": { path: ["Name"], kind: "WAF web ACL name" },
    "AWS::Glue::Registry": { path: ["Name"], kind: "Glue registry name" },
    "AWS::Glue::Schema": { path: ["Name"], kind: "Glue schema name" },
    "AWS::Glue::Database": { path: ["DatabaseInput", "Name"], kind: "Glue database name" },
    "AWS::Glue::Table": { path: ["TableInput", "Name"], kind: "Glue table name" },
    "AWS::Athena::WorkGroup": { path: ["Name"], kind: "Athena workgroup name" },
    "AWS::Lambda::Function": { path: ["FunctionName"], kind: "Lambda function name" },
    "AWS::SQS::Queue": { path: ["QueueName"], kind: "SQS queue name" },
  };
  /** Literal `…Name` properties that are not the resource's own physical name. */
  const NOT_PHYSICAL = new Set([
    "AWS::IAM::Policy.PolicyName", // CDK-generated from the logical id, within IAM's 128
    "AWS::AppSync::DataSource.Name", // scoped to the API, from api/definition.ts
    "AWS::AppSync::FunctionConfiguration.Name",
    "AWS::AppSync::FunctionConfiguration.DataSourceName",
    "AWS::AppSync::Resolver.TypeName",
    "AWS::AppSync::Resolver.FieldName",
    "AWS::AppSync::Resolver.DataSourceName",
    "AWS::CloudWatch::Alarm.MetricName",
    "AWS::Glue::Table.DatabaseName", // refers to the database, checked there
  ]);

  type Found = { kind: NameKind; name: string };
  let synth: Synthesized;
  let found: Found[];
  let unlisted: string[];

  beforeAll(async () => {
    synth = await synthPayrail();
    const stacks = [
      synth.stacks.streaming,
      synth.stacks.catalog,
      synth.stacks.api,
      synth.stacks.services,
      ...Object.values(synth.stacks.tenants),
    ];
    found = stacks.map((stack) => ({ kind: "CloudFormation stack name" as const, name: stack.stackName }));
    unlisted = [];
    for (const stack of stacks) {
      const resources = templateOf(stack).toJSON().Resources as Record<
        string,
        { Type: string; Properties?: Record<string, unknown> }
      >;
      for (const { Type, Properties = {} } of Object.values(resources)) {
        const physical = PHYSICAL_NAMES[Type];
        if (physical) {
          let value: unknown = Properties;
          for (const key of physical.path) value = (value as Record<string, unknown> | undefined)?.[key];
          if (typeof value === "string") found.push({ kind: physical.kind, name: value });
        }
        for (const [key, value] of Object.entries(Properties)) {
          const isName = key === "Name" || key.endsWith("Name");
          if (!isName || typeof value !== "string") continue;
          if (physical?.path.length === 1 && physical.path[0] === key) continue;
          if (!NOT_PHYSICAL.has(`${Type}.${key}`)) unlisted.push(`${Type}.${key} = ${value}`);
        }
      }
    }
  }, 120_000);

  afterAll(async () => {
    await rm(synth.outdir, { recursive: true, force: true });
  });

  it("has a limit for every kind of name the templates carry", () => {
    expect(unlisted).toEqual([]);
    expect(found.length).toBeGreaterThan(50);
    for (const { kind } of found) expect(NAME_LIMITS[kind]).toBeGreaterThan(0);
  });

  it("derives every physical name in the templates, each as the kind of name it is", () => {
    const derived = new Set(derivedNames("dev", synth.sources).map((n) => `${n.kind}: ${n.name}`));
    const missing = found.map((f) => `${f.kind}: ${f.name}`).filter((key) => !derived.has(key));
    expect(missing).toEqual([]);
  });

  it("derives no name the app does not use (Kafka topics live in the topic plan)", () => {
    const inTemplates = new Set(found.map((f) => `${f.kind}: ${f.name}`));
    const resources = Object.values(templateOf(synth.stacks.streaming).toJSON().Resources) as {
      Properties?: { Topics?: unknown };
    }[];
    const topics = resources.map((r) => r.Properties?.Topics).find((t) => typeof t === "string") as string;
    const plan = new Set((JSON.parse(topics) as { name: string }[]).map((t) => t.name));
    const unused = derivedNames("dev", synth.sources)
      .filter((n) =>
        n.kind === "Kafka topic name" ? !plan.has(n.name) : !inTemplates.has(`${n.kind}: ${n.name}`),
      )
      .map((n) => `${n.kind}: ${n.name}`);
    expect(unused).toEqual([]);
  });
});
