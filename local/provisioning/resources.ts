// Create-if-missing for tables and buckets: re-running provisioning creates nothing twice.
// A table that exists must have every index of its definition: dynalite accepts an
// UpdateTable that creates an index but ignores it, so a table made before an index was
// added (an older data dir) is rebuilt with its items (./table-rebuild), or, without a data
// dir to keep the backup in, refused with what to do rather than failing at each query.
import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import type { TableDefinition } from "../../core/storage/tables";
import { missingIndexes, rebuildTable, resumeRebuild, type TableUpgrade } from "./table-rebuild";
import { TABLE_WAIT } from "./table-wait";

/**
 * Creates the table unless it exists; true when it was created now. One that exists without
 * an index of its definition is rebuilt with `upgrade`, refused without; a rebuild a crash
 * interrupted is finished first.
 */
export async function ensureTable(
  client: DynamoDBClient,
  name: string,
  definition: TableDefinition,
  upgrade?: TableUpgrade,
): Promise<boolean> {
  if (upgrade && (await resumeRebuild(client, name, definition, upgrade))) return false;
  const { ttlAttribute, ...create } = definition;
  try {
    await client.send(new CreateTableCommand({ ...create, TableName: name }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    const missing = (await missingIndexes(client, name, definition)) ?? [];
    if (missing.length > 0 && !upgrade) throw lacksIndexes(name, missing);
    if (missing.length > 0 && upgrade) await rebuildTable(client, name, definition, upgrade, missing);
    return false;
  }
  await waitUntilTableExists({ client, ...TABLE_WAIT }, { TableName: name });
  if (ttlAttribute) await enableTtl(client, name, ttlAttribute);
  return true;
}

const lacksIndexes = (name: string, missing: string[]) =>
  new Error(
    `table ${name} lacks the index ${missing.join(", ")} (core/storage/tables.ts): it was created before the index existed, and the local DynamoDB cannot add an index to a table. Provisioning with a data dir (npm start) rebuilds it with its items; this caller has none to keep the backup in.`,
  );

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
