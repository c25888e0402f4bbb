// The context switches (provisioned MSK, custom domain, alarm e-mail), synthesized with
// cdk-nag on (so they are compliant too), and proof that cdk-nag is live: a
// non-compliant resource interrupts synthesis.
import { rm } from "node:fs/promises";
import { App, Stack } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import * as s3 from "aws-cdk-lib/aws-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCompliance } from "../../../infra/nag";
import { type Synthesized, synthPayrail, templateOf } from "./synth";

const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000";

let synth: Synthesized;

beforeAll(async () => {
  synth = await synthPayrail({
    nag: true,
    context: {
      "payrail:env": "prod",
      "payrail:msk": "provisioned",
      "payrail:mskMaxStorageGiB": 2000,
      "payrail:domainName": "api.payrail.example",
      "payrail:certificateArn": CERTIFICATE,
      "payrail:alarmEmail": "oncall@payrail.example",
    },
  });
}, 120_000);

afterAll(async () => {
  await rm(synth.outdir, { recursive: true, force: true });
});

describe("provisioned MSK", () => {
  it("encrypts at rest with the customer-managed key and in transit with TLS, IAM auth only", () => {
    const template = templateOf(synth.stacks.streaming);
    const [keyId] = Object.keys(template.findResources("AWS::KMS::Key"));
    template.hasResourceProperties("AWS::MSK::Cluster", {
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } }, Unauthenticated: { Enabled: false } },
      EncryptionInfo: {
        EncryptionAtRest: { DataVolumeKMSKeyId: { "Fn::GetAtt": [keyId, "Arn"] } },
        EncryptionInTransit: { ClientBroker: "TLS", InCluster: true },
      },
    });
    template.resourceCountIs("AWS::MSK::ServerlessCluster", 0);
  });

  it("grows broker storage automatically up to the configured ceiling", () => {
    const template = templateOf(synth.stacks.streaming);
    template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", {
      ServiceNamespace: "kafka",
      ScalableDimension: "kafka:broker-storage:VolumeSize",
      MaxCapacity: 2000,
    });
    template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: "KafkaBrokerStorageUtilization" },
      }),
    });
  });
});

describe("environment and custom domain", () => {
  it("prefixes names with the environment from context", () => {
    expect(Object.values(synth.stacks.tenants).map((s) => s.stackName)).toEqual(
      [...synth.sources.config.tenants.keys()].map((id) => `Payrail-prod-Tenant-${id}`),
    );
    templateOf(synth.stacks.api).hasResourceProperties("AWS::DynamoDB::Table", {
      TableName: "prod-payrail-control",
    });
  });

  it("serves the API on the custom domain with the given certificate", () => {
    const template = templateOf(synth.stacks.api);
    template.hasResourceProperties("AWS::AppSync::DomainName", {
      DomainName: "api.payrail.example",
      CertificateArn: CERTIFICATE,
    });
    template.resourceCountIs("AWS::AppSync::DomainNameApiAssociation", 1);
  });
});

describe("alarm notifications", () => {
  it("subscribe the on-call address from context to the alarm topic", () => {
    templateOf(synth.stacks.services).hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "oncall@payrail.example",
    });
  });
});

describe("cdk-nag", () => {
  it("interrupts synthesis on an unacknowledged finding", () => {
    const app = new App({ outdir: `${synth.outdir}/non-compliant` });
    const stack = new Stack(app, "NonCompliant");
    new s3.Bucket(stack, "Plain");
    checkCompliance(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});
