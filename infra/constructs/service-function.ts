// One Payrail service as a Lambda function: Node.js 22 on arm64, bundled by esbuild from
// the same handler module the local stack runs, X-Ray active tracing, Powertools
// environment, a named execution role (tenant roles trust exactly that name) and a
// retained, bounded log group.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { serviceRoleName } from "../naming";

export type ServiceFunctionProps = {
  envName: string;
  root: string;
  service: string;
  /** Repo-relative handler module exporting `handler`. */
  entry: string;
  environment?: Record<string, string>;
  reservedConcurrency?: number;
  timeout?: Duration;
  network?: { vpc: ec2.IVpc; securityGroup: ec2.ISecurityGroup };
  /** Encrypts the function's environment (which may carry PAYRAIL_SECRET) at rest. */
  environmentKey?: kms.IKey;
};

/** Where the bundled copy of config/ lives on Lambda (the handlers read pipeline.yaml). */
export const LAMBDA_CONFIG_DIR = "/var/task/config";

/** Absolute path of a module the app bundles (handler or resolver); synth stops if it is missing. */
export function requireEntry(root: string, entry: string): string {
  const path = join(root, entry);
  if (!existsSync(path)) {
    throw new Error(
      `${entry} does not exist under ${root}: the app bundles it, so it cannot synth without it`,
    );
  }
  return path;
}

export class ServiceFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const entry = requireEntry(props.root, props.entry);
    this.role = new iam.Role(this, "Role", {
      roleName: serviceRoleName(props.envName, props.service),
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Payrail ${props.envName} ${props.service} service`,
    });
    const logGroup = new logs.LogGroup(this, "Logs", {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.fn = new nodejs.NodejsFunction(this, "Function", {
      entry,
      handler: "handler",
      projectRoot: props.root,
      depsLockFilePath: join(props.root, "package-lock.json"),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup,
      reservedConcurrentExecutions: props.reservedConcurrency,
      ...(props.network
        ? {
            vpc: props.network.vpc,
            vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
            securityGroups: [props.network.securityGroup],
          }
        : {}),
      environmentEncryption: props.environmentKey,
      environment: {
        PAYRAIL_ENV: props.envName,
        PAYRAIL_CONFIG_DIR: LAMBDA_CONFIG_DIR,
        POWERTOOLS_SERVICE_NAME: `payrail-${props.service}`,
        POWERTOOLS_METRICS_NAMESPACE: "Payrail",
        POWERTOOLS_LOG_LEVEL: "INFO",
        // Responses and errors can hold payment data: keep them out of trace metadata.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: "false",
        POWERTOOLS_TRACER_CAPTURE_ERROR: "false",
        NODE_OPTIONS: "--enable-source-maps",
        ...props.environment,
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: "node22",
        sourceMap: true,
        minify: true,
        // ESM output still meets CommonJS dependencies that call require().
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        // Bundle the pinned AWS SDK too: the code on Lambda is the code tested here.
        externalModules: [],
        // The same config/ the local stack reads ships inside the bundle.
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            `cp -R "${inputDir}/config" "${outputDir}/config"`,
          ],
        },
      },
    });
    // Passing our own role means CDK adds no managed policies: grant what Lambda needs.
    logGroup.grantWrite(this.role);
    if (props.network) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: [
            "ec2:CreateNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses",
          ],
          resources: ["*"],
        }),
      );
    }
    const validations = Validations.of(this);
    validations.acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "X-Ray PutTraceSegments/PutTelemetryRecords and the Lambda VPC ENI actions have no resource-level permissions; they are the only statements with Resource *",
    });
    validations.acknowledge({
      id: "AwsSolutions-L1",
      reason:
        "Payrail pins Node.js 22 (the runtime the services are tested for, also runnable on the local Node 20); moving to a newer runtime is a deliberate, tested change",
    });
  }
}
