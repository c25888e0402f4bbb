// The AppSync API generated from api/definition.ts, the definition the local emulator
// serves: same schema, data sources, APPSYNC_JS pipeline functions and resolvers. Nothing
// here registers a resolver by hand; adding one to the definition deploys it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CfnElement, Duration, Stack, Validations } from "aws-cdk-lib";
import * as appsync from "aws-cdk-lib/aws-appsync";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { buildSchema } from "graphql";
import type { ApiDefinition, AuthProvider } from "../../api/definition";
import { acknowledgeLogRetention, nagEnv } from "../nag";
import type { CustomDomain } from "../settings";
import { bundleAppsyncJs } from "./appsync-code";

export type GraphqlApiProps = {
  name: string;
  definition: ApiDefinition;
  /** The Lambda behind each AWS_LAMBDA data source and the authorizer, by handler path. */
  handlers: Record<string, lambda.IFunction>;
  oidc: { issuer: string; clientId?: string };
  customDomain?: CustomDomain;
  /** Seconds a query result may be served from the per-tenant resolver cache. */
  queryCacheTtlSeconds: number;
};

export class GraphqlApi extends Construct {
  readonly api: appsync.GraphqlApi;

  constructor(scope: Construct, id: string, props: GraphqlApiProps) {
    super(scope, id);
    const { definition } = props;
    const schemaPath = join(definition.baseDir, definition.schemaFile);
    const toAuthMode = (provider: AuthProvider) => this.authorizationMode(provider, props);

    // Our own log role, scoped to this API's log group (instead of the AWS managed policy).
    const logRole = new iam.Role(this, "LogRole", {
      assumedBy: new iam.ServicePrincipal("appsync.amazonaws.com"),
    });
    this.api = new appsync.GraphqlApi(this, "Api", {
      name: props.name,
      definition: appsync.Definition.fromFile(schemaPath),
      authorizationConfig: {
        defaultAuthorization: toAuthMode(definition.authentication.default),
        additionalAuthorizationModes: definition.authentication.additional.map(toAuthMode),
      },
      // Errors only and no verbose content: request variables can hold card data.
      logConfig: {
        fieldLogLevel: appsync.FieldLogLevel.ERROR,
        excludeVerboseContent: true,
        retention: logs.RetentionDays.THREE_MONTHS,
        role: logRole,
      },
      xrayEnabled: true,
      // `ctx.env` of every resolver, as the emulator serves it (e.g. the queries' Cache-Control max-age).
      environmentVariables: definition.environmentVariables,
      ...(props.customDomain
        ? {
            domainName: {
              domainName: props.customDomain.domainName,
              certificate: acm.Certificate.fromCertificateArn(
                this,
                "Certificate",
                props.customDomain.certificateArn,
              ),
            },
          }
        : {}),
    });

    this.api.logGroup.grantWrite(logRole);
    const retention = this.api.node.findChild("LogRetention").node.defaultChild as CfnElement;
    const { partition, region, account } = nagEnv(this);
    Validations.of(logRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:logs:${region}:${account}:log-group:<${Stack.of(this).getLogicalId(retention)}.LogGroupName>:*]`,
      reason:
        "Log streams of this API's own log group (`<group>:*`), which AppSync creates per request batch",
    });
    acknowledgeLogRetention(this);
    Validations.of(this.api).acknowledge({
      id: "AwsSolutions-ASC3",
      reason:
        "Request-level logging is on (field errors, request ids, X-Ray); verbose content is excluded on purpose because request variables and results can hold card and account data that must never reach a log",
    });

    new appsync.CfnApiCache(this, "Cache", {
      apiId: this.api.apiId,
      apiCachingBehavior: "PER_RESOLVER_CACHING",
      type: "SMALL",
      ttl: props.queryCacheTtlSeconds,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
    });

    const dataSources = new Map(
      definition.dataSources.map((source) => [source.name, this.dataSource(source, props.handlers)]),
    );
    const functions = new Map(
      definition.functions.map((fn) => {
        const dataSource = dataSources.get(fn.dataSource);
        if (!dataSource)
          throw new Error(`pipeline function ${fn.name}: unknown data source ${fn.dataSource}`);
        return [
          fn.name,
          new appsync.AppsyncFunction(this, `Function-${fn.name}`, {
            api: this.api,
            name: fn.name,
            dataSource,
            runtime: appsync.FunctionRuntime.JS_1_0_0,
            code: appsync.Code.fromInline(bundleAppsyncJs(definition.baseDir, fn.code)),
          }),
        ];
      }),
    );

    const queryArguments = queryArgumentNames(schemaPath, definition);
    const tenantKeys = tenantCachingKeys(definition);
    for (const resolver of definition.resolvers) {
      const args = resolver.typeName === "Query" ? queryArguments.get(resolver.fieldName) : undefined;
      new appsync.Resolver(this, `Resolver-${resolver.typeName}-${resolver.fieldName}`, {
        api: this.api,
        typeName: resolver.typeName,
        fieldName: resolver.fieldName,
        runtime: appsync.FunctionRuntime.JS_1_0_0,
        code: appsync.Code.fromInline(bundleAppsyncJs(definition.baseDir, resolver.code)),
        pipelineConfig: resolver.functions.map((name) => {
          const fn = functions.get(name);
          if (!fn)
            throw new Error(`resolver ${resolver.typeName}.${resolver.fieldName}: unknown function ${name}`);
          return fn;
        }),
        // Queries are idempotent: cache them per tenant and per argument, never across tenants.
        ...(args
          ? {
              cachingConfig: {
                ttl: Duration.seconds(props.queryCacheTtlSeconds),
                cachingKeys: [...tenantKeys, ...args.map((a) => `$context.arguments.${a}`)],
              },
            }
          : {}),
      });
    }
  }

  private authorizationMode(provider: AuthProvider, props: GraphqlApiProps): appsync.AuthorizationMode {
    switch (provider.mode) {
      case "AWS_LAMBDA":
        return {
          authorizationType: appsync.AuthorizationType.LAMBDA,
          lambdaAuthorizerConfig: {
            handler: this.handlerFor(provider.handler, props.handlers),
            resultsCacheTtl: Duration.seconds(provider.resultsCacheTtlSeconds),
            validationRegex: provider.identityValidationExpression,
          },
        };
      case "OPENID_CONNECT":
        return {
          authorizationType: appsync.AuthorizationType.OIDC,
          openIdConnectConfig: { oidcProvider: props.oidc.issuer, clientId: props.oidc.clientId },
        };
      case "AWS_IAM":
        return { authorizationType: appsync.AuthorizationType.IAM };
      case "API_KEY":
        throw new Error("API keys carry no tenant identity: Payrail does not deploy API_KEY auth");
    }
  }

  private handlerFor(handler: string, handlers: Record<string, lambda.IFunction>): lambda.IFunction {
    const fn = handlers[handler];
    if (!fn) throw new Error(`no Lambda function for handler ${handler}`);
    return fn;
  }

  private dataSource(
    source: ApiDefinition["dataSources"][number],
    handlers: Record<string, lambda.IFunction>,
  ): appsync.BaseDataSource {
    switch (source.type) {
      case "AWS_LAMBDA": {
        const fn = this.handlerFor(source.handler, handlers);
        const dataSource = this.api.addLambdaDataSource(source.name, fn);
        const fnId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
        Validations.of(dataSource).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${fnId}.Arn>:*]`,
          reason:
            "AppSync's data source role may invoke the handler's versions and aliases (`<arn>:*`), never another function",
        });
        return dataSource;
      }
      case "NONE":
        return this.api.addNoneDataSource(source.name);
      default:
        throw new Error(`data source ${source.name}: type ${source.type} is not deployed by Payrail`);
    }
  }
}

/** Argument names of every Query field, read from the schema so cache keys follow it. */
function queryArgumentNames(schemaPath: string, definition: ApiDefinition): Map<string, string[]> {
  const sdl = [schemaPath, ...definition.localOnlySchemaFiles.map((f) => join(definition.baseDir, f))]
    .map((file) => readFileSync(file, "utf8"))
    .join("\n");
  const query = buildSchema(sdl).getQueryType();
  return new Map(
    Object.values(query?.getFields() ?? {}).map((field) => [field.name, field.args.map((a) => a.name)]),
  );
}

/** Where the caller's tenant lives in `$context.identity` for each deployed auth mode. */
function tenantCachingKeys(definition: ApiDefinition): string[] {
  const modes = [definition.authentication.default, ...definition.authentication.additional];
  return modes.flatMap((mode) => {
    if (mode.mode === "AWS_LAMBDA") return ["$context.identity.resolverContext.tenantId"];
    if (mode.mode === "OPENID_CONNECT") return [`$context.identity.claims.${mode.claimForTenant}`];
    return [];
  });
}
