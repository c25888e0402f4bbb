// `payrail tenant delete --purge` on the local stack: the tenant's tables and its bucket
// (objects first, as S3 refuses to delete a bucket that holds any) go at once instead of
// after the retention period.
import { DeleteTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";

const missing = (error: unknown) =>
  error instanceof Error && ["ResourceNotFoundException", "NoSuchBucket", "NotFound"].includes(error.name);

/** Deletes the tables and the bucket (with its objects); answers what was deleted. */
export async function purgeTenantData(
  target: { dynamodb: DynamoDBClient; s3: S3Client },
  tables: string[],
  bucket: string,
): Promise<string[]> {
  const deleted: string[] = [];
  for (const table of tables) {
    try {
      await target.dynamodb.send(new DeleteTableCommand({ TableName: table }));
      deleted.push(table);
    } catch (error) {
      if (!missing(error)) throw error;
    }
  }
  try {
    for (;;) {
      const { Contents = [] } = await target.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      if (Contents.length === 0) break;
      await target.s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: Contents.map(({ Key }) => ({ Key })) },
        }),
      );
    }
    await target.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    deleted.push(bucket);
  } catch (error) {
    if (!missing(error)) throw error;
  }
  return deleted;
}
