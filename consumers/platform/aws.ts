// AWS SDK clients configured from the environment. Locally AWS_ENDPOINT_URL_DYNAMODB /
// AWS_ENDPOINT_URL_S3 point at dynalite / s3rver with fixed local credentials; on AWS
// the Lambda role's credentials and the regional endpoints are used as they are, and a
// tenant's data is reached with that tenant's role (PAYRAIL_TENANT_ROLE_ARN).
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { countDynamoDbCalls, type DynamoDbCallRecorder, processDynamoDbCallRecorder } from "./call-counter";
import { type CredentialsProvider, type StsSender, tenantCredentials } from "./tenant-credentials";

type Env = Record<string, string | undefined>;

export type AwsClientOptions = {
  endpoint?: string;
  region?: string;
  credentials?: CredentialsProvider;
  /** Told of every DynamoDB call the client sends (off unless given or set process-wide; see call-counter.ts). */
  onDynamoDbCall?: DynamoDbCallRecorder;
};

// s3rver knows exactly this key pair; dynalite takes anything.
const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

function baseConfig(endpoint: string | undefined, env: Env) {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "eu-west-1";
  return endpoint ? { region, endpoint, credentials: LOCAL_CREDENTIALS } : { region };
}

// An explicit region or tenant's credentials win over what the environment gives.
const overrides = (options: AwsClientOptions) => ({
  ...(options.region ? { region: options.region } : {}),
  ...(options.credentials ? { credentials: options.credentials } : {}),
});

export function dynamoDbClient(options: AwsClientOptions = {}, env: Env = process.env): DynamoDBClient {
  const endpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_DYNAMODB;
  const client = new DynamoDBClient({ ...baseConfig(endpoint, env), ...overrides(options) });
  const record = options.onDynamoDbCall ?? processDynamoDbCallRecorder();
  if (record) countDynamoDbCalls(client, record);
  return client;
}

export function documentClient(
  options: AwsClientOptions = {},
  env: Env = process.env,
): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(dynamoDbClient(options, env), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function s3Client(options: AwsClientOptions = {}, env: Env = process.env): S3Client {
  const endpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_S3;
  return new S3Client({
    ...baseConfig(endpoint, env),
    ...overrides(options),
    // s3rver serves buckets by path, not by virtual host.
    forcePathStyle: Boolean(endpoint),
  });
}

/** Clients for one tenant's tables and bucket, built once per tenant. */
export type TenantClients = {
  documents(tenantId: string): DynamoDBDocumentClient;
  s3(tenantId: string): S3Client;
};

/**
 * With PAYRAIL_TENANT_ROLE_ARN (on AWS) each tenant gets clients signed with credentials
 * of that tenant's role; without it (locally) every tenant shares one pair of clients.
 */
export function tenantClients(
  env: Env = process.env,
  createSts: () => StsSender = () => new STSClient(baseConfig(undefined, env)),
): TenantClients {
  const template = env.PAYRAIL_TENANT_ROLE_ARN;
  const credentialsOf = template
    ? tenantCredentials({
        roleArnTemplate: template,
        createSts,
        service: env.PAYRAIL_CONSUMER ?? env.AWS_LAMBDA_FUNCTION_NAME ?? "payrail",
      })
    : undefined;
  const perTenant = <T>(make: (options: AwsClientOptions) => T): ((tenantId: string) => T) => {
    if (!credentialsOf) {
      const shared = make({});
      return () => shared;
    }
    const clients = new Map<string, T>();
    return (tenantId) => {
      let client = clients.get(tenantId);
      if (!client) {
        client = make({ credentials: credentialsOf(tenantId) });
        clients.set(tenantId, client);
      }
      return client;
    };
  };
  return {
    documents: perTenant((options) => documentClient(options, env)),
    s3: perTenant((options) => s3Client(options, env)),
  };
}
