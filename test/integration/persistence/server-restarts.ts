// Restarts the local DynamoDB and S3 servers must survive, shared by the tests of every
// way they are started (in process, on a worker thread).
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CreateTableCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateBucketCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { dynamoDbClient, s3Client } from "../../../consumers/platform/aws";

type Server = { endpoint: string; stop(): Promise<void> };
type S3Server = Server & { removedTornObjects: string[] };

/** A table created before a restart on the same path is there after it. */
export async function expectTablesKeptAcrossRestart(
  start: (options: { path: string }) => Promise<Server>,
  path: string,
): Promise<void> {
  const first = await start({ path });
  expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await dynamoDbClient({ endpoint: first.endpoint }, {}).send(
    new CreateTableCommand({
      TableName: "durable",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await first.stop();
  const second = await start({ path });
  try {
    const tables = await dynamoDbClient({ endpoint: second.endpoint }, {}).send(new ListTablesCommand({}));
    expect(tables.TableNames).toEqual(["durable"]);
  } finally {
    await second.stop();
  }
}

/** kill -9 between s3rver's writes of an object's content and its metadata, then a restart. */

export async function expectTornObjectDropped(
  start: (options: { directory: string }) => Promise<S3Server>,
  directory: string,
): Promise<void> {
  const bucket = "local-payrail-acme-eu";
  const first = await start({ directory });
  expect(first.removedTornObjects).toEqual([]);
  const s3 = s3Client({ endpoint: first.endpoint }, {});
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const key of ["audit/whole.jsonl", "audit/torn.jsonl"]) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `{"key":"${key}"}\n` }));
  }
  await first.stop();
  const files = await readdir(join(directory, bucket, "audit"));
  const metadata = files.find((f) => f.startsWith("torn.jsonl") && f.endsWith("_metadata.json"));
  await writeFile(join(directory, bucket, "audit", metadata ?? "missing"), "");

  const second = await start({ directory });
  const client = s3Client({ endpoint: second.endpoint }, {});
  try {
    expect(second.removedTornObjects).toEqual(["local-payrail-acme-eu/audit/torn.jsonl"]);
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(["audit/whole.jsonl"]);
  } finally {
    await second.stop();
  }
}
