// A throwaway local DynamoDB + S3 (ephemeral ports, in memory) with tenants provisioned.
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { dynamoDbClient, s3Client } from "../../../consumers/platform/aws";
import { startDynamoDb } from "../../../local/dynamodb";
import {
  type ProvisionableTenant,
  type ProvisionedTenant,
  type ProvisionOptions,
  provisionTenant,
} from "../../../local/provisioning";
import { startS3 } from "../../../local/s3";

export const TEST_ENV = "test";

export const testTenant = (id: string, region = "eu"): ProvisionableTenant => ({
  id,
  region,
  idempotencyTtlHours: 24,
  scopes: {
    admin: ["payments:read", "payments:write", "payments:review", "webhooks:manage"],
    partner: ["payments:read", "payments:write"],
  },
});

export async function startLocalStack() {
  const [dynamo, s3] = await Promise.all([startDynamoDb(), startS3()]);
  const dynamodb = dynamoDbClient({ endpoint: dynamo.endpoint }, {});
  const target = { env: TEST_ENV, dynamodb, s3: s3Client({ endpoint: s3.endpoint }, {}) };
  return {
    dynamoEndpoint: dynamo.endpoint,
    s3Endpoint: s3.endpoint,
    target,
    documents: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    provision: (
      tenantId: string,
      region = "eu",
      options: ProvisionOptions = {},
    ): Promise<ProvisionedTenant> => provisionTenant(testTenant(tenantId, region), target, options),
    async stop() {
      dynamodb.destroy();
      target.s3.destroy();
      await Promise.all([dynamo.stop(), s3.stop()]);
    },
  };
}

export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;
