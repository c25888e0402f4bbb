// The crash s3rver cannot survive on its own: kill -9 between writing an object's content
// and its metadata. Shared by the tests of every way the local S3 server is started.
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  CreateBucketCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { s3Client } from "../../../consumers/shared/aws";

type S3Server = { endpoint: string; removedTornObjects: string[]; stop(): Promise<void> };

/** Writes two objects, tears one as a crash would, restarts on the same directory and checks the bucket. */
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
