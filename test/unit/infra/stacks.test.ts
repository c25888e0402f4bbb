// CDK assertions over the synthesized app. That cdk-nag finds nothing unacknowledged is
// proven by the CLI synth in cdk-synth.test.ts (the app there runs the AwsSolutions pack).
import { rm } from "node:fs/promises";
import { Match } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOPIC_OF_EVENT } from "../../../consumers/pipeline/routing";
import { dlqTopicOf, topicPlan } from "../../../core/config";
import { PAYMENT_INDEX, tenantBucket, tenantTables } from "../../../core/storage/tables";
import type { TenantStack } from "../../../infra/stacks/tenant-stack";
import { TENANT_SERVICE_ACCESS } from "../../../infra/tenant-access";
import { type Synthesized, synthPayrail, templateOf } from "./synth";

type Resource = { Type: string; Properties: Record<string, unknown> };

let synth: Synthesized;

beforeAll(async () => {
  synth = await synthPayrail();
}, 120_000);

afterAll(async () => {
  await rm(synth.outdir, { recursive: true, force: true });
});

const resources = (stack: Parameters<typeof templateOf>[0], type: string): [string, Resource][] =>
  Object.entries(templateOf(stack).findResources(type)) as [string, Resource][];

const tenants = () => [...synth.sources.config.tenants.values()];
const tenantIds = () => tenants().map((t) => t.id);

describe("cdk-nag", () => {
  it("gives every acknowledged finding a written reason", () => {
    const acknowledgements = synth.app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === "aws:cdk:acknowledged-rules"))
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .filter(([rule]) => rule.includes("AwsSolutions-"));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [rule, reason] of acknowledgements) {
      expect(rule).toMatch(/AwsSolutions-[A-Z]+\d+/);
      expect(reason.length, rule).toBeGreaterThan(40);
    }
  });
});

describe("tenant stacks", () => {
  it("exist once per config/tenants file, named Payrail-<env>-Tenant-<id>", () => {
    expect(Object.keys(synth.stacks.tenants).sort()).toEqual([...tenantIds()].sort());
    for (const [id, stack] of Object.entries(synth.stacks.tenants)) {
      expect(stack.stackName).toBe(`Payrail-dev-Tenant-${id}`);
    }
  });

  it("encrypt every table with the tenant's KMS key and keep point-in-time recovery", () => {
    for (const [id, stack] of Object.entries(synth.stacks.tenants)) {
      const tables = resources(stack, "AWS::DynamoDB::Table");
      expect(tables.map(([, t]) => t.Properties.TableName).sort()).toEqual(
        Object.values(tenantTables("dev", id)).sort(),
      );
      const keyId = stack.getLogicalId(stack.key.node.defaultChild as never);
      for (const [, table] of tables) {
        expect(table.Properties.SSESpecification).toEqual({
          SSEEnabled: true,
          SSEType: "KMS",
          KMSMasterKeyId: { "Fn::GetAtt": [keyId, "Arn"] },
        });
        expect(table.Properties.PointInTimeRecoverySpecification).toEqual({
          PointInTimeRecoveryEnabled: true,
        });
      }
      templateOf(stack).hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    }
  });

  it("give the tenant bucket its name, SSE-KMS, no public access, a lifecycle and a TLS-only policy", () => {
    for (const [id, stack] of Object.entries(synth.stacks.tenants)) {
      const region = synth.sources.config.tenants.get(id)?.region ?? "";
      const template = templateOf(stack);
      template.hasResourceProperties("AWS::S3::Bucket", {
        BucketName: tenantBucket("dev", id, region),
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: Match.anyValue() } },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: "audit/" })]) },
      });
      const bucketId = stack.getLogicalId(stack.bucket.node.defaultChild as never);
      template.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ]),
        },
      });
    }
  });

  /** Every resource a tenant's service roles may touch, resolved to a physical name. */
  function roleTargets(stack: TenantStack): { role: string; resources: unknown[] }[] {
    const template = templateOf(stack).toJSON() as { Resources: Record<string, Resource> };
    const roleIds = new Map(
      Object.entries(stack.serviceRoles).map(([service, role]) => [
        stack.getLogicalId(role.node.defaultChild as never),
        service,
      ]),
    );
    return Object.values(template.Resources)
      .filter((r) => r.Type === "AWS::IAM::Policy")
      .flatMap((policy) => {
        const roles = (policy.Properties.Roles as { Ref: string }[]).map((r) => roleIds.get(r.Ref));
        const statements = (policy.Properties.PolicyDocument as { Statement: { Resource: unknown }[] })
          .Statement;
        return roles.flatMap((role) =>
          role ? [{ role, resources: statements.flatMap((s) => [s.Resource].flat()) }] : [],
        );
      });
  }

  it("have one role per service whose statements never use a bare wildcard resource", () => {
    for (const stack of Object.values(synth.stacks.tenants)) {
      const targets = roleTargets(stack);
      expect(new Set(targets.map((t) => t.role))).toEqual(new Set(Object.keys(TENANT_SERVICE_ACCESS)));
      for (const { role, resources: list } of targets) {
        for (const resource of list) expect(resource, role).not.toBe("*");
      }
    }
  });

  it("let a tenant's roles reach only that tenant's tables, bucket and key", () => {
    for (const [id, stack] of Object.entries(synth.stacks.tenants)) {
      const template = templateOf(stack).toJSON() as { Resources: Record<string, Resource> };
      const own = new Set([
        ...Object.values(stack.tables).map((t) => stack.getLogicalId(t.node.defaultChild as never)),
        stack.getLogicalId(stack.bucket.node.defaultChild as never),
        stack.getLogicalId(stack.key.node.defaultChild as never),
      ]);
      for (const { role, resources: list } of roleTargets(stack)) {
        for (const resource of list) {
          const text = JSON.stringify(resource);
          const refs = [...text.matchAll(/"(?:Ref|Fn::GetAtt)":\s*(?:\["|")([A-Za-z0-9]+)"/g)].map(
            (m) => m[1],
          );
          expect(refs.length, `${role}: ${text}`).toBeGreaterThan(0);
          for (const ref of refs) {
            expect(own.has(ref), `${id}/${role} references ${ref}`).toBe(true);
            const target = template.Resources[ref].Properties;
            const name = (target.TableName ?? target.BucketName ?? "") as string;
            if (name) expect(name).toContain(`-${id}-`);
          }
          for (const other of tenantIds().filter((t) => t !== id)) expect(text).not.toContain(other);
        }
      }
    }
  });

  it("leave the shared execution roles no direct path to tenant data", () => {
    const controlTableId = synth.stacks.api.getLogicalId(
      synth.stacks.api.controlTable.node.defaultChild as never,
    );
    // Shared, tenant-free: the processors' breakers (execution reads and writes them).
    const healthTableId = synth.stacks.api.getLogicalId(
      synth.stacks.api.processorHealthTable.node.defaultChild as never,
    );
    for (const stack of [synth.stacks.api, synth.stacks.services]) {
      for (const [id, policy] of resources(stack, "AWS::IAM::Policy")) {
        const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
          .Statement;
        for (const statement of statements) {
          const actions = [statement.Action].flat() as string[];
          expect(
            actions.some((a) => a.startsWith("s3:")),
            id,
          ).toBe(false);
          if (actions.some((a) => a.startsWith("dynamodb:"))) {
            // The control table or the processor-health table, or their ARNs exported by the
            // Api stack: nothing else.
            const resources = [statement.Resource].flat().map((r) => JSON.stringify(r));
            for (const resource of resources) {
              expect(resource, id).toMatch(/^\{"Fn::(GetAtt|ImportValue)"/);
              expect(
                resource.includes(controlTableId) || resource.includes(healthTableId),
                `${id}: ${resource}`,
              ).toBe(true);
              expect(resource, id).not.toMatch(/index|\*/);
            }
          }
        }
      }
    }
  });

  it("let risk and status write the items their transactions record", () => {
    const writes = ["dynamodb:PutItem", "dynamodb:UpdateItem"];
    for (const [id, stack] of Object.entries(synth.stacks.tenants)) {
      const written = (service: string) => {
        const roleId = stack.getLogicalId(stack.serviceRoles[service]?.node.defaultChild as never);
        const statements = resources(stack, "AWS::IAM::Policy")
          .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
          .flatMap(
            ([, p]) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
          )
          .filter((statement) => writes.every((a) => ([statement.Action].flat() as string[]).includes(a)));
        const granted = JSON.stringify(statements.map((statement) => statement.Resource));
        return Object.entries(stack.tables)
          .filter(([, table]) =>
            granted.includes(`"${stack.getLogicalId(table.node.defaultChild as never)}"`),
          )
          .map(([name]) => name)
          .sort();
      };
      // Risk: velocity count + decision + the decision's history entry and row update.
      expect(written("risk"), id).toEqual(["paymentEvents", "payments", "risk"]);
      // Status: history entries, rows, and the last attempt's answer on its item.
      expect(written("status"), id).toEqual(["attempts", "paymentEvents", "payments"]);
    }
  });

  it("trust only the matching service's execution role", () => {
    for (const [id, stack] of Object.entries(synth.stacks.tenants)) {
      for (const [service, role] of Object.entries(stack.serviceRoles)) {
        const properties = (templateOf(stack).toJSON() as { Resources: Record<string, Resource> }).Resources[
          stack.getLogicalId(role.node.defaultChild as never)
        ].Properties;
        expect(properties.RoleName).toBe(`payrail-dev-${id}-${service}`);
        expect(JSON.stringify(properties.AssumeRolePolicyDocument)).toContain(
          `:role/payrail-dev-svc-${service}"`,
        );
      }
    }
  });
});

describe("streaming", () => {
  it("runs MSK Serverless with IAM-authenticated TLS clients only", () => {
    templateOf(synth.stacks.streaming).hasResourceProperties("AWS::MSK::ServerlessCluster", {
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } } },
    });
    // Clients and Lambda's pollers (which use the cluster's own group) reach the IAM/TLS port only.
    const [[clusterGroupId]] = resources(synth.stacks.streaming, "AWS::MSK::ServerlessCluster").map(([, c]) =>
      JSON.stringify(c.Properties.VpcConfigs)
        .match(/"([A-Za-z0-9]+SecurityGroup[A-Za-z0-9]+)"/)
        ?.slice(1),
    ) as string[][];
    const ingress = resources(synth.stacks.streaming, "AWS::EC2::SecurityGroupIngress").map(
      ([, r]) => r.Properties,
    );
    const toCluster = ingress.filter((r) => JSON.stringify(r.GroupId).includes(clusterGroupId));
    expect(toCluster.length).toBe(2);
    for (const rule of toCluster)
      expect([rule.FromPort, rule.ToPort, rule.IpProtocol]).toEqual([9098, 9098, "tcp"]);
    expect(toCluster.some((r) => JSON.stringify(r.SourceSecurityGroupId).includes(clusterGroupId))).toBe(
      true,
    );
  });

  it("creates the topics of config/pipeline.yaml, with .dlq twins, through a custom resource", () => {
    const [[, topics]] = resources(synth.stacks.streaming, "Custom::PayrailKafkaTopics");
    const plan = JSON.parse(topics.Properties.Topics as string);
    expect(plan).toEqual(topicPlan(synth.sources.config.pipeline));
    const names = plan.map((t: { name: string }) => t.name);
    for (const topic of synth.sources.config.pipeline.topics) expect(names).toContain(dlqTopicOf(topic.name));
  });
});

describe("services", () => {
  const functions = () => [
    ...resources(synth.stacks.services, "AWS::Lambda::Function"),
    ...resources(synth.stacks.api, "AWS::Lambda::Function").filter(([, f]) =>
      JSON.stringify(f.Properties.Environment ?? {}).includes("PAYRAIL_ENV"),
    ),
  ];

  it("run every Payrail function on Node.js 22, arm64, with X-Ray active tracing and Powertools env", () => {
    const all = functions();
    // The consumers, the four API functions, the outbox relay, the webhook sender and the authorization sweeper.
    expect(all.length).toBe(synth.sources.config.pipeline.consumers.length + 7);
    for (const [id, fn] of all) {
      expect(fn.Properties.Runtime, id).toBe("nodejs22.x");
      expect(fn.Properties.Architectures, id).toEqual(["arm64"]);
      expect(fn.Properties.TracingConfig, id).toEqual({ Mode: "Active" });
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env.POWERTOOLS_SERVICE_NAME, id).toMatch(/^payrail-/);
      expect(env.POWERTOOLS_METRICS_NAMESPACE, id).toBe("Payrail");
    }
  });

  it("hand the platform secret over as a deploy-time reference, in a KMS-encrypted environment", () => {
    for (const [id, fn] of functions()) {
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      // The outbox relay holds no secret at all (see "outbox relay").
      if (env.POWERTOOLS_SERVICE_NAME !== "payrail-outbox-relay")
        expect(JSON.stringify(env.PAYRAIL_SECRET), id).toMatch(/^\{"Fn::Join":.*\{\{resolve:secretsmanager:/);
      expect(fn.Properties.KmsKeyArn, id).toBeDefined();
      expect(env.KAFKA_BROKERS, id).toBeDefined();
      expect(env.PAYRAIL_CONFIG_DIR, id).toBe("/var/task/config");
    }
  });

  it("map every consumed topic with batch settings, starting position and a .dlq on-failure destination", () => {
    const mappings = resources(synth.stacks.services, "AWS::Lambda::EventSourceMapping").map(
      ([, m]) => m.Properties,
    );
    const { consumers } = synth.sources.config.pipeline;
    expect(mappings.length).toBe(consumers.reduce((n, c) => n + c.topics.length, 0));
    // Lambda requires every Kafka event source to have its own consumer group.
    const groups = mappings.map((m) => JSON.stringify(m.AmazonManagedKafkaEventSourceConfig));
    expect(new Set(groups).size).toBe(mappings.length);
    for (const consumer of consumers) {
      const fn = synth.stacks.services.node.findChild(`Consumer-${consumer.name}`).node.findAll();
      const fnId = synth.stacks.services.getLogicalId(
        fn.find((c) => c.node.path.endsWith("Service/Function/Resource")) as never,
      );
      const mine = mappings.filter((m) => JSON.stringify(m.FunctionName).includes(fnId));
      expect(mine.map((m) => (m.Topics as string[])[0]).sort()).toEqual([...consumer.topics].sort());
      for (const mapping of mine) {
        const topic = (mapping.Topics as string[])[0];
        expect(mapping.DestinationConfig).toEqual({
          OnFailure: { Destination: `kafka://${dlqTopicOf(topic)}` },
        });
        expect(mapping.BatchSize).toBe(consumer.batchSize);
        expect(mapping.StartingPosition).toBe(consumer.startingPosition);
        expect(mapping.MaximumRetryAttempts).toBe(consumer.maxRetries);
        expect(mapping.BisectBatchOnFunctionError).toBe(true);
        expect(mapping.MaximumBatchingWindowInSeconds).toBe(consumer.batchWindowMs / 1000);
        expect(mapping.AmazonManagedKafkaEventSourceConfig).toEqual({
          ConsumerGroupId: `payrail-dev-${consumer.name}.${topic}`,
        });
      }
      templateOf(synth.stacks.services).hasResourceProperties("AWS::Lambda::Function", {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: `payrail-${consumer.name}` }) },
        ReservedConcurrentExecutions: consumer.reservedConcurrency,
      });
    }
  });

  it("alarm on errors, offset lag and records sent to a DLQ, and keep a dashboard", () => {
    const alarms = resources(synth.stacks.services, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    for (const consumer of synth.sources.config.pipeline.consumers) {
      const names = alarms.map((a) => a.AlarmName);
      expect(names).toContain(`payrail-dev-${consumer.name}-errors`);
      expect(names).toContain(`payrail-dev-${consumer.name}-offset-lag`);
      for (const topic of consumer.topics)
        expect(names).toContain(`payrail-dev-${consumer.name}-${topic}-dlq`);
    }
    // A labelled metric is rendered as a one-element `Metrics` list instead of `MetricName`.
    const metricName = (a: Record<string, unknown>) =>
      a.MetricName ??
      (a.Metrics as { MetricStat: { Metric: { MetricName: string } } }[])[0].MetricStat.Metric.MetricName;
    expect(new Set(alarms.map(metricName))).toEqual(
      new Set(["Errors", "OffsetLag", "OnFailureDestinationDeliveredEventCount"]),
    );
    templateOf(synth.stacks.services).resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    const [[, dashboard]] = resources(synth.stacks.services, "AWS::CloudWatch::Dashboard");
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of ["5XXError", "Latency", "OffsetLag", "OnFailureDestinationDeliveredEventCount"]) {
      expect(body).toContain(metric);
    }
    // Every alarm notifies the KMS-encrypted alarm topic.
    const [[topicId, topic]] = resources(synth.stacks.services, "AWS::SNS::Topic");
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    for (const alarm of alarms)
      expect(alarm.AlarmActions, String(alarm.AlarmName)).toEqual([{ Ref: topicId }]);
  });
});

describe("outbox relay", () => {
  type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
  const services = () => synth.stacks.services;
  const relayFunctionId = () =>
    services().getLogicalId(synth.stacks.services.outboxRelay.function.node.defaultChild as never);
  const relayFunction = (): Resource => {
    const found = resources(services(), "AWS::Lambda::Function").find(([id]) => id === relayFunctionId());
    if (!found) throw new Error("no outbox relay function in the Services stack");
    return found[1];
  };
  const variables = (fn: Resource) =>
    (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  /** Every statement of the policies attached to the relay's execution role. */
  const executionStatements = (): Statement[] => {
    const role = JSON.stringify(relayFunction().Properties.Role);
    const roleId = /"Fn::GetAtt":\["([A-Za-z0-9]+)"/.exec(role)?.[1] ?? "";
    expect(roleId).not.toBe("");
    return resources(services(), "AWS::IAM::Policy")
      .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  };
  const actionsOf = (statement: Statement) => [statement.Action].flat();

  it("deploys consumers/outbox-relay as a Payrail function: one sweep at a time, no Lambda retry", () => {
    const fn = relayFunction();
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(1);
    expect(fn.Properties.VpcConfig).toBeDefined();
    const env = variables(fn);
    expect(env.POWERTOOLS_SERVICE_NAME).toBe("payrail-outbox-relay");
    expect(JSON.stringify(env.PAYRAIL_TENANT_ROLE_ARN)).toContain(":role/payrail-dev-{tenant}-outbox-relay");
    // It reads no control plane, so it is not told where it is.
    expect(env.PAYRAIL_CONTROL_TABLE).toBeUndefined();
    // It touches no token, vault or payload hash, so it does not hold the platform secret.
    expect(env.PAYRAIL_SECRET).toBeUndefined();
    templateOf(services()).hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: relayFunctionId() },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
    });
  });

  it("leaves events to their request for at least the API's in-progress window", () => {
    const relayWindow = Number(variables(relayFunction()).PAYRAIL_IN_PROGRESS_MS);
    const api = resources(synth.stacks.api, "AWS::Lambda::Function").filter(([, f]) =>
      /payrail-(initiation|payments-api)/.test(JSON.stringify(f.Properties.Environment ?? {})),
    );
    expect(api.length).toBe(2);
    for (const [id, fn] of api) {
      expect(relayWindow, id).toBeGreaterThanOrEqual(Number(variables(fn).PAYRAIL_IN_PROGRESS_MS));
    }
    expect(relayWindow).toBeGreaterThanOrEqual(30_000);
  });

  it("is run once a minute by an EventBridge rule allowed to invoke it", () => {
    const rules = resources(services(), "AWS::Events::Rule").filter(
      ([, rule]) => rule.Properties.Name === "payrail-dev-outbox-relay",
    );
    expect(rules.length).toBe(1);
    const [[ruleId, rule]] = rules;
    expect(rule.Properties).toMatchObject({
      Name: "payrail-dev-outbox-relay",
      ScheduleExpression: "rate(1 minute)",
      State: "ENABLED",
      Targets: [
        {
          Arn: { "Fn::GetAtt": [relayFunctionId(), "Arn"] },
          RetryPolicy: { MaximumEventAgeInSeconds: 60 },
        },
      ],
    });
    templateOf(services()).hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      FunctionName: { "Fn::GetAtt": [relayFunctionId(), "Arn"] },
      Principal: "events.amazonaws.com",
      SourceArn: { "Fn::GetAtt": [ruleId, "Arn"] },
    });
  });

  it("may produce only to the topics of PaymentInitiated and review events, and read none", () => {
    const statements = executionStatements();
    const write = statements.filter((s) => actionsOf(s).includes("kafka-cluster:WriteData"));
    expect(write.length).toBe(1);
    const topics = [write[0].Resource].flat().map((r) => /\/([a-z.-]+)"\]\]\}$/.exec(JSON.stringify(r))?.[1]);
    expect(topics.sort()).toEqual(
      [...new Set([TOPIC_OF_EVENT.PaymentInitiated, TOPIC_OF_EVENT.PaymentReviewed])].sort(),
    );
    const all = statements.flatMap(actionsOf);
    expect(all).not.toContain("kafka-cluster:ReadData");
    expect(all.some((a) => a.startsWith("dynamodb:") || a.startsWith("s3:"))).toBe(false);
    const assume = statements.filter((s) => actionsOf(s).includes("sts:AssumeRole"));
    expect(assume.length).toBe(1);
    expect(JSON.stringify(assume[0].Resource)).toMatch(/:role\/payrail-dev-\*-outbox-relay"\]\]\}$/);
  });

  it("reaches, in each tenant, only that tenant's payments table: its rows and its outbox index", () => {
    for (const [id, stack] of Object.entries(synth.stacks.tenants)) {
      const role = stack.serviceRoles["outbox-relay"];
      expect(role, id).toBeDefined();
      const roleId = stack.getLogicalId(role.node.defaultChild as never);
      const statements = resources(stack, "AWS::IAM::Policy")
        .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      const payments = stack.getLogicalId(stack.tables.payments.node.defaultChild as never);
      const key = stack.getLogicalId(stack.key.node.defaultChild as never);
      const table = { "Fn::GetAtt": [payments, "Arn"] };
      expect(statements.map((s) => ({ actions: actionsOf(s).sort(), resource: s.Resource }))).toEqual([
        { actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"], resource: table },
        {
          actions: ["dynamodb:Query"],
          resource: { "Fn::Join": ["", [table, `/index/${PAYMENT_INDEX.outbox}`]] },
        },
        {
          actions: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
          resource: { "Fn::GetAtt": [key, "Arn"] },
        },
      ]);
    }
  });

  it("raises an alarm when sweeps fail", () => {
    templateOf(services()).hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmName: "payrail-dev-outbox-relay-errors",
      MetricName: "Errors",
      Dimensions: [{ Name: "FunctionName", Value: { Ref: relayFunctionId() } }],
    });
  });
});

describe("API", () => {
  it("uses the Lambda authorizer by default, OIDC and IAM as additional modes, with logging and X-Ray", () => {
    templateOf(synth.stacks.api).hasResourceProperties("AWS::AppSync::GraphQLApi", {
      AuthenticationType: "AWS_LAMBDA",
      AdditionalAuthenticationProviders: [
        Match.objectLike({ AuthenticationType: "OPENID_CONNECT" }),
        Match.objectLike({ AuthenticationType: "AWS_IAM" }),
      ],
      XrayEnabled: true,
      LogConfig: Match.objectLike({ FieldLogLevel: "ERROR", ExcludeVerboseContent: true }),
    });
  });

  it("deploys every resolver of the API definition as an APPSYNC_JS pipeline", () => {
    const resolvers = resources(synth.stacks.api, "AWS::AppSync::Resolver").map(([, r]) => r.Properties);
    const expected = synth.sources.api.resolvers.map((r) => `${r.typeName}.${r.fieldName}`).sort();
    expect(resolvers.map((r) => `${r.TypeName}.${r.FieldName}`).sort()).toEqual(expected);
    for (const resolver of resolvers) {
      expect(resolver.Kind).toBe("PIPELINE");
      expect(resolver.Runtime).toEqual({ Name: "APPSYNC_JS", RuntimeVersion: "1.0.0" });
      expect(resolver.Code).toEqual(expect.stringContaining("export"));
    }
    templateOf(synth.stacks.api).resourceCountIs(
      "AWS::AppSync::FunctionConfiguration",
      synth.sources.api.functions.length,
    );
  });

  it("caches queries per tenant and per argument, encrypted, and nothing else", () => {
    const resolvers = resources(synth.stacks.api, "AWS::AppSync::Resolver").map(([, r]) => r.Properties);
    for (const resolver of resolvers) {
      const caching = resolver.CachingConfig as { CachingKeys: string[]; Ttl: number } | undefined;
      if (resolver.TypeName !== "Query") {
        expect(caching, `${resolver.TypeName}.${resolver.FieldName}`).toBeUndefined();
        continue;
      }
      expect(caching?.CachingKeys).toEqual(
        expect.arrayContaining([
          "$context.identity.resolverContext.tenantId",
          "$context.identity.claims.tenant_id",
        ]),
      );
    }
    // The resolvers' Cache-Control max-age comes from the same TTL, through ctx.env, and
    // the environment is the API definition's, as the emulator serves it.
    const ttls = new Set(
      resolvers.flatMap((r) => (r.CachingConfig ? [(r.CachingConfig as { Ttl: number }).Ttl] : [])),
    );
    expect(ttls.size).toBe(1);
    expect(synth.sources.api.environmentVariables?.QUERY_MAX_AGE_SECONDS).toBe(String([...ttls][0]));
    templateOf(synth.stacks.api).hasResourceProperties("AWS::AppSync::GraphQLApi", {
      EnvironmentVariables: synth.sources.api.environmentVariables,
    });
    for (const resolver of resolvers) {
      const answersCacheControl = String(resolver.Code).includes('"Cache-Control"');
      expect(answersCacheControl, `${resolver.TypeName}.${resolver.FieldName}`).toBe(
        resolver.TypeName === "Query",
      );
    }
    templateOf(synth.stacks.api).hasResourceProperties("AWS::AppSync::ApiCache", {
      ApiCachingBehavior: "PER_RESOLVER_CACHING",
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
    });
  });

  it("puts a WAF web ACL with managed rules and per-IP and per-token rate limits in front of the API", () => {
    const template = templateOf(synth.stacks.api);
    const [[aclId, acl]] = resources(synth.stacks.api, "AWS::WAFv2::WebACL");
    const [[apiId]] = resources(synth.stacks.api, "AWS::AppSync::GraphQLApi");
    template.hasResourceProperties("AWS::WAFv2::WebACLAssociation", {
      ResourceArn: { "Fn::GetAtt": [apiId, "Arn"] },
      WebACLArn: { "Fn::GetAtt": [aclId, "Arn"] },
    });
    const rules = acl.Properties.Rules as { Statement: Record<string, Record<string, unknown>> }[];
    const managed = rules.flatMap((r) =>
      r.Statement.ManagedRuleGroupStatement ? [r.Statement.ManagedRuleGroupStatement.Name] : [],
    );
    expect(managed).toContain("AWSManagedRulesCommonRuleSet");
    const rate = rules.flatMap((r) =>
      r.Statement.RateBasedStatement ? [r.Statement.RateBasedStatement] : [],
    );
    expect(rate.map((r) => r.AggregateKeyType).sort()).toEqual(["CUSTOM_KEYS", "IP"]);
    expect(JSON.stringify(rate)).toContain('"Name":"authorization"');
  });

  it("keeps the shared control-plane table encrypted with PITR", () => {
    templateOf(synth.stacks.api).hasResourceProperties("AWS::DynamoDB::Table", {
      TableName: "dev-payrail-control",
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: "KMS" }),
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });
});

describe("Glue catalog", () => {
  it("registers every event schema version with BACKWARD compatibility", () => {
    expect(synth.sources.eventSchemas.length).toBeGreaterThan(0);
    const schemas = resources(synth.stacks.catalog, "AWS::Glue::Schema").map(([, s]) => s.Properties);
    const versions = resources(synth.stacks.catalog, "AWS::Glue::SchemaVersion");
    const types = new Set(synth.sources.eventSchemas.map((s) => s.type));
    expect(schemas.map((s) => s.Name).sort()).toEqual([...types].sort());
    expect(schemas.length + versions.length).toBe(synth.sources.eventSchemas.length);
    for (const schema of schemas) expect(schema.Compatibility).toBe("BACKWARD");
  });

  it("gives analysts an Athena workgroup with encrypted, enforced result settings", () => {
    templateOf(synth.stacks.catalog).hasResourceProperties("AWS::Athena::WorkGroup", {
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        ResultConfiguration: Match.objectLike({ EncryptionConfiguration: { EncryptionOption: "SSE_S3" } }),
      }),
    });
  });

  it("catalogues audit logs per region, partitioned by tenant and date over each tenant's bucket", () => {
    const tables = resources(synth.stacks.catalog, "AWS::Glue::Table").map(
      ([, t]) => t.Properties.TableInput as Record<string, Record<string, unknown>>,
    );
    const regions = new Set(tenants().map((t) => t.region));
    expect(tables.length).toBe(regions.size);
    for (const table of tables) {
      expect(table.PartitionKeys).toEqual([
        { Name: "tenant", Type: "string" },
        { Name: "date", Type: "string" },
      ]);
      expect(table.Parameters["storage.location.template"]).toMatch(
        /^s3:\/\/dev-payrail-\$\{tenant\}-[a-z0-9-]+\/audit\/date=\$\{date\}\/$/,
      );
    }
  });
});

describe("authorization sweeper", () => {
  type SweeperStatement = { Action: string | string[]; Resource: unknown };
  const actionsOf = (statement: SweeperStatement) => [statement.Action].flat();
  const services = () => synth.stacks.services;
  const sweeperId = () =>
    services().getLogicalId(synth.stacks.services.authSweeper.function.node.defaultChild as never);
  const sweeper = (): Resource => {
    const found = resources(services(), "AWS::Lambda::Function").find(([id]) => id === sweeperId());
    if (!found) throw new Error("no authorization sweeper in the Services stack");
    return found[1];
  };

  it("runs consumers/auth-sweeper every five minutes, one sweep at a time, no Lambda retry", () => {
    const fn = sweeper();
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(1);
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.POWERTOOLS_SERVICE_NAME).toBe("payrail-auth-sweeper");
    expect(JSON.stringify(env.PAYRAIL_TENANT_ROLE_ARN)).toContain(":role/payrail-dev-{tenant}-auth-sweeper");
    templateOf(services()).hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: sweeperId() },
      MaximumRetryAttempts: 0,
    });
    templateOf(services()).hasResourceProperties("AWS::Events::Rule", {
      Name: "payrail-dev-auth-sweeper",
      ScheduleExpression: "rate(5 minutes)",
      State: "ENABLED",
      Targets: [Match.objectLike({ Arn: { "Fn::GetAtt": [sweeperId(), "Arn"] } })],
    });
  });

  it("produces only to PaymentCanceled's topic and reaches each tenant's payments and history only", () => {
    const role = JSON.stringify(sweeper().Properties.Role);
    const roleId = /"Fn::GetAtt":\["([A-Za-z0-9]+)"/.exec(role)?.[1] ?? "";
    expect(roleId).not.toBe("");
    const statements = resources(services(), "AWS::IAM::Policy")
      .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: SweeperStatement[] }).Statement);
    const written = statements
      .filter((s) => actionsOf(s).includes("kafka-cluster:WriteData"))
      .flatMap((s) => [s.Resource].flat())
      .map((r) => /\/([a-z.-]+)"\]\]\}$/.exec(JSON.stringify(r))?.[1]);
    expect([...new Set(written)]).toEqual([TOPIC_OF_EVENT.PaymentCanceled]);
    for (const [id, stack] of Object.entries(synth.stacks.tenants)) {
      const tenantRole = stack.serviceRoles["auth-sweeper"];
      expect(tenantRole, id).toBeDefined();
      const roleId = stack.getLogicalId(tenantRole.node.defaultChild as never);
      const granted = JSON.stringify(
        resources(stack, "AWS::IAM::Policy").filter(
          ([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
        ),
      );
      const tableIds = Object.entries(stack.tables).map(
        ([name, table]) => [name, stack.getLogicalId(table.node.defaultChild as never)] as const,
      );
      const reached = tableIds
        .filter(([, logicalId]) => granted.includes(`"${logicalId}"`))
        .map(([name]) => name);
      expect(reached.sort(), id).toEqual(["paymentEvents", "payments"]);
    }
  });

  it("finds waiting refunds through each tenant's sparse byRefundWaiting index, keys only, which its role may query", () => {
    for (const [id, stack] of Object.entries(synth.stacks.tenants)) {
      templateOf(stack).hasResourceProperties("AWS::DynamoDB::Table", {
        TableName: tenantTables("dev", id).payments,
        GlobalSecondaryIndexes: Match.arrayWith([
          {
            IndexName: PAYMENT_INDEX.refundWaiting,
            KeySchema: [
              { AttributeName: "refundWaitingShard", KeyType: "HASH" },
              { AttributeName: "createdKey", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "KEYS_ONLY" },
          },
        ]),
      });
      const roleId = stack.getLogicalId(stack.serviceRoles["auth-sweeper"].node.defaultChild as never);
      const statements = resources(stack, "AWS::IAM::Policy")
        .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: SweeperStatement[] }).Statement);
      const queriesIndex = statements.some(
        (s) =>
          actionsOf(s).includes("dynamodb:Query") &&
          JSON.stringify(s.Resource).includes(`/index/${PAYMENT_INDEX.refundWaiting}`),
      );
      expect(queriesIndex, id).toBe(true);
    }
  });

  it("raises an alarm when sweeps fail", () => {
    templateOf(services()).hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmName: "payrail-dev-auth-sweeper-errors",
      MetricName: "Errors",
      Dimensions: [{ Name: "FunctionName", Value: { Ref: sweeperId() } }],
    });
  });
});

describe("webhook sender", () => {
  const services = () => synth.stacks.services;
  const senderId = () =>
    services().getLogicalId(synth.stacks.services.webhookSend.function.node.defaultChild as never);

  it("runs consumers/webhook-send once a minute, one run at a time, with the platform secret and its tenant role", () => {
    const found = resources(services(), "AWS::Lambda::Function").find(([id]) => id === senderId());
    if (!found) throw new Error("no webhook sender in the Services stack");
    const fn = found[1];
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(1);
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.POWERTOOLS_SERVICE_NAME).toBe("payrail-webhook-send");
    expect(JSON.stringify(env.PAYRAIL_SECRET)).toContain("resolve:secretsmanager:");
    expect(JSON.stringify(env.PAYRAIL_TENANT_ROLE_ARN)).toContain(":role/payrail-dev-{tenant}-webhook-send");
    // Its run plus the last POSTs' 10 s fit the function timeout.
    expect(Number(env.PAYRAIL_WEBHOOK_RUN_MS) + 10_000).toBeLessThan(Number(fn.Properties.Timeout) * 1000);
    templateOf(services()).hasResourceProperties("AWS::Events::Rule", {
      Name: "payrail-dev-webhook-send",
      ScheduleExpression: "rate(1 minute)",
      Targets: [{ Arn: { "Fn::GetAtt": [senderId(), "Arn"] } }],
    });
  });
});
