import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { dynamoDbClient, s3Client } from "../../../consumers/platform/aws";
import { startDynamoDb } from "../../../local/dynamodb";
import { startS3 } from "../../../local/s3";
import { expectTablesKeptAcrossRestart, expectTornObjectDropped } from "./server-restarts";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("local DynamoDB server", () => {
  it("keeps tables across a restart when given a path", async () => {
    const dir = await mkdtemp(join(tmpdir(), "payrail-ddb-"));
    dirs.push(dir);
    await expectTablesKeptAcrossRestart(startDynamoDb, dir);
  });

  it("starts empty in memory", async () => {
    const server = await startDynamoDb();
    const tables = await dynamoDbClient({ endpoint: server.endpoint }, {}).send(new ListTablesCommand({}));
    await server.stop();
    expect(tables.TableNames).toEqual([]);
  });
});

describe("local S3 server", () => {
  it("stores and returns objects, path-style", async () => {
    const server = await startS3();
    const s3 = s3Client({ endpoint: server.endpoint }, {});
    await s3.send(new CreateBucketCommand({ Bucket: "local-payrail-acme-eu-west-1" }));
    await s3.send(
      new PutObjectCommand({
        Bucket: "local-payrail-acme-eu-west-1",
        Key: "audit/a.jsonl",
        Body: '{"a":1}\n',
      }),
    );
    const object = await s3.send(
      new GetObjectCommand({ Bucket: "local-payrail-acme-eu-west-1", Key: "audit/a.jsonl" }),
    );
    expect(await object.Body?.transformToString()).toBe('{"a":1}\n');
    await server.stop();
  });

  it("drops an object a crash left half-written and keeps serving its bucket", async () => {
    const dir = await mkdtemp(join(tmpdir(), "payrail-s3-"));
    dirs.push(dir);
    await expectTornObjectDropped(startS3, dir);
  });
});
