// local/threads: dynalite, s3rver and the broker each on a worker thread of their own, as
// `npm start` runs them, and the helper's failure modes (a server that cannot start, one
// that crashes while serving, one that does not stop).

import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import { startServerThread } from "../../../local/threads/server-thread";
import { startBrokerThread, startDynamoDbThread, startS3Thread } from "../../../local/threads/servers";
import { expectTablesKeptAcrossRestart, expectTornObjectDropped } from "../persistence/server-restarts";

const dirs: string[] = [];
const tempDir = async (prefix: string) => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});
const fixture = (name: string) => new URL(`./fixtures/${name}.worker.ts`, import.meta.url);

describe("DynamoDB (dynalite) on a worker thread", () => {
  it("serves from another thread and keeps tables across a restart on disk", async () => {
    await expectTablesKeptAcrossRestart(
      async (options) => {
        const server = await startDynamoDbThread(options);
        expect(server.threadId).not.toBe(threadId);
        // Its OS thread is one of this process's tasks, not this thread (bench/pipeline reads its CPU).
        expect(readdirSync(`/proc/${process.pid}/task`)).toContain(String(server.osThreadId));
        expect(server.osThreadId).not.toBe(process.pid);
        return server;
      },
      await tempDir("payrail-ddb-thread-"),
    );
  });

  it("fails to start with the listen error when its port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const address = blocker.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      await expect(startDynamoDbThread({ port })).rejects.toMatchObject({
        code: "EADDRINUSE",
        message: expect.stringContaining("DynamoDB (dynalite) did not start"),
      });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe("S3 (s3rver) on a worker thread", () => {
  it("reports the torn objects it removed before serving", async () => {
    await expectTornObjectDropped(
      async (options) => {
        const server = await startS3Thread(options);
        expect(server.threadId).not.toBe(threadId);
        return server;
      },
      await tempDir("payrail-s3-thread-"),
    );
  });
});

describe("Kafka broker on a worker thread", () => {
  it("keeps acknowledged records across a stop and a restart on disk", async () => {
    const dir = await tempDir("payrail-kafka-thread-");
    const kafka = (port: number) =>
      new Kafka({ clientId: "payrail-test", brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
    const first = await startBrokerThread({ dataDir: dir, logger: "silent" });
    expect(first.threadId).not.toBe(threadId);
    const setup = kafka(first.port).admin();
    await setup.connect();
    await setup.createTopics({ topics: [{ topic: "threaded", numPartitions: 2 }] });
    await setup.disconnect();
    const producer = kafka(first.port).producer();
    await producer.connect();
    await producer.send({
      topic: "threaded",
      acks: -1,
      messages: Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    });
    await producer.disconnect();
    await first.stop();

    const second = await startBrokerThread({ dataDir: dir, logger: "silent" });
    const admin = kafka(second.port).admin();
    try {
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets("threaded");
      expect(offsets.reduce((sum, partition) => sum + Number(partition.high), 0)).toBe(5);
    } finally {
      await admin.disconnect();
      await second.stop();
    }
  });
});

describe("startServerThread", () => {
  it("rejects, naming the server, when the entry fails to load", async () => {
    await expect(startServerThread("Fixture", fixture("throws-on-import"), {})).rejects.toThrow(
      /Fixture did not start: its thread failed: this entry cannot load/,
    );
  });

  it("rejects with the server's own error and code when it fails to start", async () => {
    await expect(
      startServerThread("Fixture", fixture("fails-to-start"), { message: "no such directory" }),
    ).rejects.toMatchObject({ message: "Fixture did not start: no such directory", code: "EFIXTURE" });
  });

  it("rejects instead of waiting forever when the thread never answers", async () => {
    await expect(
      startServerThread("Fixture", fixture("silent"), {}, { startTimeoutMs: 500 }),
    ).rejects.toThrow(/Fixture did not start: no answer from its thread within 500 ms/);
  });

  it("hands a failure after the server was ready to onCrash", async () => {
    let crashed: (error: Error) => void = () => {};
    const crash = new Promise<Error>((resolve) => {
      crashed = resolve;
    });
    const server = await startServerThread(
      "Fixture",
      fixture("crashes-while-serving"),
      {},
      { onCrash: crashed },
    );
    const error = await crash;
    expect(error.message).toMatch(/Fixture failed in its thread: crashed while serving/);
    await server.stop();
  });

  it("terminates a thread whose server does not stop, and says so", async () => {
    const server = await startServerThread<object, { keepAlive: boolean }>(
      "Fixture",
      fixture("never-stops"),
      {},
      { stopTimeoutMs: 300 },
    );
    expect(server.info).toEqual({ keepAlive: true });
    await expect(server.stop()).rejects.toThrow(
      /Fixture did not stop within 300 ms; its thread was terminated/,
    );
  });
});
