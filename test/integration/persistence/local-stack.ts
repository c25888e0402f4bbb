// A throwaway local DynamoDB + S3 (ephemeral ports, in memory) with tenants provisioned.
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { dynamoDbClient, s3Client } from "../../../consumers/shared/aws";
import { startDynamoDb } from "../../../local/dynamodb";
import { type ProvisionedTenant, provisionTenant } from "../../../local/provisioning";
import { startS3 } from "../../../local/s3";

export const TEST_ENV = "test";

export async function startLocalStack() {
  const [dynamo, s3] = await Promise.all([startDynamoDb(), startS3()]);
  const dynamodb = dynamoDbClient({ endpoint: dynamo.endpoint }, {});
  const target = { env: TEST_ENV, dynamodb, s3: s3Client({ endpoint: s3.endpoint }, {}) };
  return {
    dynamoEndpoint: dynamo.endpoint,
    s3Endpoint: s3.endpoint,
    target,
    documents: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    provision: (tenantId: string, region = "eu-west-1"): Promise<ProvisionedTenant> =>
      provisionTenant({ tenantId, region }, target),
    async stop() {
      dynamodb.destroy();
      target.s3.destroy();
      await Promise.all([dynamo.stop(), s3.stop()]);
    },
  };
}

export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;
