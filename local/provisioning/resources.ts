// Create-if-missing for tables and buckets: re-running provisioning creates nothing twice.
// A table that exists must have every index of its definition: dynalite accepts an
// UpdateTable that creates an index but ignores it, so a table made before an index was
// added (an older data dir) is refused with what to do, rather than failing at each query.
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import type { TableDefinition } from "../../core/storage/tables";

/** Creates the table unless it exists (then it must have the definition's indexes); true when it was created now. */
export async function ensureTable(
  client: DynamoDBClient,
  name: string,
  definition: TableDefinition,
): Promise<boolean> {
  const { ttlAttribute, ...create } = definition;
  try {
    await client.send(new CreateTableCommand({ ...create, TableName: name }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    await requireIndexes(client, name, definition);
    return false;
  }
  await waitUntilTableExists({ client, maxWaitTime: 120 }, { TableName: name });
  if (ttlAttribute) await enableTtl(client, name, ttlAttribute);
  return true;
}

async function requireIndexes(client: DynamoDBClient, name: string, definition: TableDefinition) {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const missing = (definition.GlobalSecondaryIndexes ?? [])
    .map((index) => index.IndexName)
    .filter((index) => !present.has(index));
  if (missing.length === 0) return;
  throw new Error(
    `table ${name} lacks the index ${missing.join(", ")} (core/storage/tables.ts): it was created before the index existed, and the local DynamoDB cannot add an index to a table. Start on a new data dir (npm start -- --data <new dir>, or move the old one away); its payments are not carried over.`,
  );
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
