// The one AppSync API definition, read by infra/ (CDK) and local/appsync/ (emulator).
// Declarative data only: every path is relative to `baseDir`, so CDK maps each entry
// 1:1 onto GraphqlApi / LambdaDataSource / AppsyncFunction / Resolver constructs.
import { fileURLToPath } from "node:url";

export type AuthMode = "AWS_LAMBDA" | "OPENID_CONNECT" | "AWS_IAM" | "API_KEY";

export type AuthProvider =
  | {
      mode: "AWS_LAMBDA";
      /** Module exporting `handler(event)`: AppSync's Lambda authorizer contract. */
      handler: string;
      /** Default cache TTL of an authorizer answer (AppSync default 300 s). */
      resultsCacheTtlSeconds: number;
      /** Only tokens matching this regex reach the authorizer (AppSync `identityValidationExpression`). */
      identityValidationExpression?: string;
    }
  | { mode: "OPENID_CONNECT"; issuerEnvVar: string; clientIdEnvVar?: string; claimForTenant: string }
  | { mode: "AWS_IAM" }
  | { mode: "API_KEY" };

export type DataSource =
  | { name: string; type: "AWS_LAMBDA" /** module exporting `handler` */; handler: string }
  | { name: string; type: "AMAZON_DYNAMODB"; tableName: string }
  | { name: string; type: "HTTP"; endpoint: string }
  | { name: string; type: "NONE" };

/** An APPSYNC_JS pipeline function: `code` is a `resolvers/` module exporting request/response. */
export type PipelineFunction = { name: string; dataSource: string; code: string };

/** A pipeline resolver: `code` holds the before (request) / after (response) handlers. */
export type Resolver = { typeName: string; fieldName: string; code: string; functions: string[] };

export type ApiDefinition = {
  name: string;
  /** Directory every relative path below is resolved against. */
  baseDir: string;
  /** The schema AppSync receives. */
  schemaFile: string;
  /** Declarations AppSync knows built in (scalars, directives); local tooling only, never deployed. */
  localOnlySchemaFiles: string[];
  authentication: { default: AuthProvider; additional: AuthProvider[] };
  dataSources: DataSource[];
  functions: PipelineFunction[];
  resolvers: Resolver[];
  /** AppSync environment variables, read by resolvers as `ctx.env` (AppSync and emulator alike). */
  environmentVariables?: Record<string, string>;
};

/**
 * Seconds a query result may be reused: the per-tenant resolver cache TTL on AWS and the
 * `Cache-Control: private, max-age` the query resolvers answer with. Short enough that a
 * status change shows within seconds, long enough to absorb polling.
 */
export const QUERY_MAX_AGE_SECONDS = 5;

const tenantFromIdentity = "tenantFromIdentity";

const apiCall = (typeName: string, fieldName: string, invoke: string): Resolver => ({
  typeName,
  fieldName,
  // Queries also tell HTTP caches how long their answer stays fresh.
  code: typeName === "Query" ? "resolvers/pipelines/query.ts" : "resolvers/pipelines/pass-through.ts",
  functions: [tenantFromIdentity, invoke],
});

export const payrailApi: ApiDefinition = {
  name: "payrail",
  baseDir: fileURLToPath(new URL("..", import.meta.url)),
  schemaFile: "schema.graphql",
  localOnlySchemaFiles: ["appsync-scalars.graphql"],
  authentication: {
    default: {
      mode: "AWS_LAMBDA",
      handler: "consumers/authorizer/handler.ts",
      // No cache (the authorizer's ttlOverride is 0 too): a deleted tenant's token is refused at once.
      resultsCacheTtlSeconds: 0,
      identityValidationExpression: "^prl_[a-z0-9-]+_[A-Za-z0-9]+$",
    },
    additional: [
      {
        mode: "OPENID_CONNECT",
        issuerEnvVar: "PAYRAIL_OIDC_ISSUER",
        clientIdEnvVar: "PAYRAIL_OIDC_CLIENT_ID",
        claimForTenant: "tenant_id",
      },
      { mode: "AWS_IAM" },
    ],
  },
  dataSources: [
    { name: "initiation", type: "AWS_LAMBDA", handler: "consumers/initiation/handler.ts" },
    { name: "paymentsApi", type: "AWS_LAMBDA", handler: "consumers/payments-api/handler.ts" },
    { name: "webhooksApi", type: "AWS_LAMBDA", handler: "consumers/webhooks-api/handler.ts" },
    { name: "none", type: "NONE" },
  ],
  functions: [
    { name: tenantFromIdentity, dataSource: "none", code: "resolvers/functions/tenant-from-identity.ts" },
    { name: "invokeInitiation", dataSource: "initiation", code: "resolvers/functions/invoke-api-handler.ts" },
    {
      name: "invokePaymentsApi",
      dataSource: "paymentsApi",
      code: "resolvers/functions/invoke-api-handler.ts",
    },
    { name: "echoUpdate", dataSource: "none", code: "resolvers/functions/echo-update.ts" },
    {
      name: "invokePaymentField",
      dataSource: "paymentsApi",
      code: "resolvers/functions/invoke-payment-field.ts",
    },
    {
      name: "invokeWebhooksApi",
      dataSource: "webhooksApi",
      code: "resolvers/functions/invoke-api-handler.ts",
    },
  ],
  resolvers: [
    apiCall("Mutation", "initiatePayment", "invokeInitiation"),
    apiCall("Mutation", "approvePayment", "invokePaymentsApi"),
    apiCall("Mutation", "declinePayment", "invokePaymentsApi"),
    apiCall("Query", "payment", "invokePaymentsApi"),
    apiCall("Query", "payments", "invokePaymentsApi"),
    apiCall("Query", "paymentEvents", "invokePaymentsApi"),
    apiCall("Query", "routingPreview", "invokePaymentsApi"),
    // Routing in execution (issue #14): resolved per Payment, only when asked for.
    apiCall("Payment", "attempts", "invokePaymentField"),
    // payment lifecycle (issue #13)
    apiCall("Mutation", "capturePayment", "invokePaymentsApi"),
    apiCall("Mutation", "cancelPayment", "invokePaymentsApi"),
    apiCall("Mutation", "refundPayment", "invokePaymentsApi"),
    apiCall("Query", "refund", "invokePaymentsApi"),
    // Webhooks (docs/webhooks.md)
    apiCall("Query", "webhookEndpoints", "invokeWebhooksApi"),
    apiCall("Query", "webhookDeliveries", "invokeWebhooksApi"),
    apiCall("Mutation", "createWebhookEndpoint", "invokeWebhooksApi"),
    apiCall("Mutation", "updateWebhookEndpoint", "invokeWebhooksApi"),
    apiCall("Mutation", "deleteWebhookEndpoint", "invokeWebhooksApi"),
    apiCall("Mutation", "rotateWebhookSecret", "invokeWebhooksApi"),
    apiCall("Mutation", "redeliverWebhook", "invokeWebhooksApi"),
    {
      typeName: "Mutation",
      fieldName: "publishPaymentUpdate",
      code: "resolvers/pipelines/pass-through.ts",
      functions: ["echoUpdate"],
    },
    {
      typeName: "Subscription",
      fieldName: "onPaymentUpdated",
      code: "resolvers/pipelines/on-payment-updated.ts",
      functions: [tenantFromIdentity],
    },
  ],
  environmentVariables: { QUERY_MAX_AGE_SECONDS: String(QUERY_MAX_AGE_SECONDS) },
};

/** Absolute path of a definition-relative file. */
export const apiPath = (api: ApiDefinition, relative: string): string =>
  fileURLToPath(new URL(relative, `file://${api.baseDir.endsWith("/") ? api.baseDir : `${api.baseDir}/`}`));

export const findDataSource = (api: ApiDefinition, name: string): DataSource => {
  const found = api.dataSources.find((d) => d.name === name);
  if (!found) throw new Error(`API ${api.name}: unknown data source ${name}`);
  return found;
};

export const findFunction = (api: ApiDefinition, name: string): PipelineFunction => {
  const found = api.functions.find((f) => f.name === name);
  if (!found) throw new Error(`API ${api.name}: unknown pipeline function ${name}`);
  return found;
};
