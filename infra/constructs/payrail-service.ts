// A Payrail service wired into the platform: its function (see ServiceFunction) in the
// VPC next to MSK, allowed to produce to its own topics and to assume its per-tenant
// roles (`payrail-<env>-<tenant>-<service>`), which alone reach tenant data.
import { Duration, Stack, Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { nagEnv } from "../nag";
import { tenantServiceRoleName } from "../naming";
import { PRODUCED_TOPICS } from "../service-topics";
import type { StreamingStack } from "../stacks/streaming-stack";
import { TENANT_SERVICE_ACCESS } from "../tenant-access";
import type { PlatformSecrets } from "./platform-secrets";
import { ServiceFunction } from "./service-function";

export type PayrailServiceProps = {
  envName: string;
  root: string;
  service: string;
  entry: string;
  streaming: StreamingStack;
  platform: PlatformSecrets;
  /**
   * The shared control-plane table (tenants, hashed tokens), read by every service that
   * authenticates or checks tenants; left out for one that never reads it (the outbox relay).
   */
  controlPlane?: dynamodb.Table;
  /**
   * Whether the function gets the platform secret (token hashing, vault key, payload
   * hashes); false for one that touches none of them (the outbox relay). Default true.
   */
  platformSecret?: boolean;
  reservedConcurrency?: number;
  environment?: Record<string, string>;
};

const SERVICE_TIMEOUT = Duration.seconds(30);

export class PayrailService extends Construct {
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, props: PayrailServiceProps) {
    super(scope, id);
    const { streaming, platform, envName, service } = props;
    const stack = Stack.of(this);
    const tenantRoleArn = (tenant: string) =>
      stack.formatArn({
        service: "iam",
        region: "",
        resource: "role",
        resourceName: tenantServiceRoleName(envName, tenant, service),
      });
    this.function = new ServiceFunction(this, "Service", {
      envName,
      root: props.root,
      service,
      entry: props.entry,
      reservedConcurrency: props.reservedConcurrency,
      network: { vpc: streaming.vpc, securityGroup: streaming.clientSecurityGroup },
      environmentKey: platform.key,
      timeout: SERVICE_TIMEOUT,
      environment: {
        KAFKA_BROKERS: streaming.cluster.bootstrapBrokers,
        // On MSK the Kafka client must use TLS and SASL/OAUTHBEARER with an IAM token.
        PAYRAIL_KAFKA_AUTH: "aws-msk-iam",
        ...(props.platformSecret === false ? {} : { PAYRAIL_SECRET: platform.secretValue() }),
        // An idempotency record stays "in progress" at least as long as a request can run.
        PAYRAIL_IN_PROGRESS_MS: String(SERVICE_TIMEOUT.toMilliseconds()),
        ...(props.controlPlane ? { PAYRAIL_CONTROL_TABLE: props.controlPlane.tableName } : {}),
        // `{tenant}` is replaced by the tenant of the request or record being handled.
        PAYRAIL_TENANT_ROLE_ARN: tenantRoleArn("{tenant}"),
        ...props.environment,
      },
    });
    // Read-only, and the table alone (it has no indexes): tokens, tenant limits and regions.
    const { role } = this.function;
    if (props.controlPlane) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
          resources: [props.controlPlane.tableArn],
        }),
      );
      props.controlPlane.encryptionKey?.grantDecrypt(role);
    }
    const produced = PRODUCED_TOPICS[service] ?? [];
    if (produced.length > 0) streaming.cluster.grantWrite(this.function.role, produced);
    if (TENANT_SERVICE_ACCESS[service]) {
      this.function.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["sts:AssumeRole", "sts:TagSession"],
          resources: [tenantRoleArn("*")],
        }),
      );
      const { partition, account } = nagEnv(this);
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:${partition}:iam::${account}:role/${tenantServiceRoleName(envName, "*", service)}]`,
        reason:
          "Tenants are added without redeploying the services, so the service may assume its role in any tenant; each tenant role trusts only this execution role and names only its tenant's resources",
      });
    }
  }
}
