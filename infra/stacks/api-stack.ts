// The edge: the AppSync GraphQL API (from api/definition.ts) behind WAF, the API-facing
// services (authorizer, initiation, payments-api) and the shared control-plane table
// holding tenant configuration and hashed API tokens.
import { RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type { Construct } from "constructs";
import { type ApiDefinition, QUERY_MAX_AGE_SECONDS } from "../../api/definition";
import {
  CONTROL_PLANE_DEFINITION,
  controlPlaneTable,
  PROCESSOR_HEALTH_DEFINITION,
  processorHealthTable,
} from "../../core/storage/tables";
import { GraphqlApi } from "../constructs/graphql-api";
import { PayrailService } from "../constructs/payrail-service";
import { PlatformSecrets } from "../constructs/platform-secrets";
import { tableKeyProps } from "../constructs/table-definition";
import { GraphqlWebAcl } from "../constructs/web-acl";
import { kmsAlias, payrailName } from "../naming";
import { serviceOfHandler } from "../service-topics";
import type { PayrailSettings } from "../settings";
import type { StreamingStack } from "./streaming-stack";

export type ApiStackProps = StackProps & {
  settings: PayrailSettings;
  definition: ApiDefinition;
  streaming: StreamingStack;
};

/** The handler modules behind the API (Lambda data sources and authorizers), each deployed once. */
export function apiHandlers(definition: ApiDefinition): string[] {
  const handlerPaths = [
    ...definition.dataSources.flatMap((d) => (d.type === "AWS_LAMBDA" ? [d.handler] : [])),
    ...[definition.authentication.default, ...definition.authentication.additional].flatMap((a) =>
      a.mode === "AWS_LAMBDA" ? [a.handler] : [],
    ),
  ];
  return [...new Set(handlerPaths)];
}

export class ApiStack extends Stack {
  readonly graphql: GraphqlApi;
  readonly controlTable: dynamodb.Table;
  /** Processors' circuit breakers, shared by every tenant (execution reads and writes it). */
  readonly processorHealthTable: dynamodb.Table;
  readonly platform: PlatformSecrets;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { settings, definition } = props;
    const { envName } = settings;

    this.platform = new PlatformSecrets(this, "Platform", { envName });
    const key = new kms.Key(this, "ControlKey", {
      alias: kmsAlias(envName, "control"),
      description: "Payrail control-plane table",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.controlTable = new dynamodb.Table(this, "ControlTable", {
      tableName: controlPlaneTable(envName),
      ...tableKeyProps(CONTROL_PLANE_DEFINITION),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Holds no tenant data (per-processor counters and breaker states, expired by TTL).
    this.processorHealthTable = new dynamodb.Table(this, "ProcessorHealthTable", {
      tableName: processorHealthTable(envName),
      ...tableKeyProps(PROCESSOR_HEALTH_DEFINITION),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const handlers: Record<string, lambda.IFunction> = {};
    for (const handler of apiHandlers(definition)) {
      const service = serviceOfHandler(handler);
      const { function: svc } = new PayrailService(this, `Service-${service}`, {
        envName,
        root: settings.root,
        service,
        entry: handler,
        streaming: props.streaming,
        platform: this.platform,
        controlPlane: this.controlTable,
      });
      handlers[handler] = svc.fn;
    }

    this.graphql = new GraphqlApi(this, "GraphQL", {
      name: payrailName(envName),
      definition,
      handlers,
      oidc: settings.oidc,
      customDomain: settings.customDomain,
      // The resolver cache keeps a query as long as its Cache-Control lets the caller keep it.
      queryCacheTtlSeconds: QUERY_MAX_AGE_SECONDS,
    });

    new GraphqlWebAcl(this, "Waf", {
      name: payrailName(envName, "api"),
      resourceArn: this.graphql.api.arn,
      perIpLimit: 2000,
      perTokenLimit: 1000,
    });
  }
}
