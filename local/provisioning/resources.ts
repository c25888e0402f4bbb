// Create-if-missing for tables and buckets: re-running provisioning creates nothing twice.
import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import type { TableDefinition } from "../../core/storage/tables";

/** Creates the table unless it exists; true when it was created now. */
export async function ensureTable(
  client: DynamoDBClient,
  name: string,
  definition: TableDefinition,
): Promise<boolean> {
  const { ttlAttribute, ...create } = definition;
  try {
    await client.send(new CreateTableCommand({ ...create, TableName: name }));
  } catch (error) {
    if (error instanceof ResourceInUseException) return false;
    throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 120 }, { TableName: name });
  if (ttlAttribute) await enableTtl(client, name, ttlAttribute);
  return true;
}

async function enableTtl(client: DynamoDBClient, name: string, attribute: string): Promise<void> {
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
  } catch (error) {
    // dynalite has no TTL API; the adapters treat expired items as absent anyway.
    if (!(error instanceof Error && error.name === "UnknownOperationException")) throw error;
  }
}

/** Creates the bucket unless it exists; true when it was created now. */
export async function ensureBucket(client: S3Client, name: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: name }));
    return false;
  } catch (error) {
    if (!(error instanceof Error && (error.name === "NotFound" || error.name === "NoSuchBucket")))
      throw error;
  }
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === "BucketAlreadyOwnedByYou") return false;
    throw error;
  }
}
