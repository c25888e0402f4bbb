// AWS SDK clients configured from the environment. Locally AWS_ENDPOINT_URL_DYNAMODB /
// AWS_ENDPOINT_URL_S3 point at dynalite / s3rver with fixed local credentials; on AWS
// the Lambda role's credentials and the regional endpoints are used as they are.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

type Env = Record<string, string | undefined>;

export type AwsClientOptions = { endpoint?: string; region?: string };

// s3rver knows exactly this key pair; dynalite takes anything.
const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

function baseConfig(endpoint: string | undefined, env: Env) {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "eu-west-1";
  return endpoint ? { region, endpoint, credentials: LOCAL_CREDENTIALS } : { region };
}

export function dynamoDbClient(options: AwsClientOptions = {}, env: Env = process.env): DynamoDBClient {
  const endpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_DYNAMODB;
  return new DynamoDBClient({
    ...baseConfig(endpoint, env),
    ...(options.region ? { region: options.region } : {}),
  });
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
    ...(options.region ? { region: options.region } : {}),
    // s3rver serves buckets by path, not by virtual host.
    forcePathStyle: Boolean(endpoint),
  });
}
