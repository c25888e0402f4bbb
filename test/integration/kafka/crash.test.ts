import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, kafkaFor, removeDir, tempDir } from "./helpers";

const CLI = new URL("../../../bin/payrail-kafka", import.meta.url).pathname;
const TOPIC = "payments.crash";
const BATCH = 10;

/** Starts the CLI broker as a child process and resolves with its port once it is listening. */
function startCli(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CLI, "--port", "0", "--data-dir", dataDir], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("broker did not start")), 20_000);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const listening = (JSON.parse(line) as { listening?: string }).listening;
      if (!listening) return;
      clearTimeout(timer);
      resolve({ child, port: Number(listening.split(":")[1]) });
    });
    child.once("exit", (code) => reject(new Error(`broker exited with ${code}`)));
  });
}

const exited = (child: ChildProcess) => new Promise((resolve) => child.once("exit", resolve));

describe("crash: SIGKILL during a produce stream", () => {
  let dataDir: string;
  let running: ChildProcess | undefined;

  beforeAll(async () => {
    dataDir = await tempDir();
  });
  afterAll(async () => {
    running?.kill("SIGKILL");
    await removeDir(dataDir);
  });

  it("keeps every acknowledged record, in order, and no partial batch", async () => {
    const first = await startCli(dataDir);
    running = first.child;
    const kafka = kafkaFor(first.port, { retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }] });
    await admin.disconnect();

    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    let acked = 0;
    let sent = 0;
    const stream = (async () => {
      // Bounded: the kill below ends it long before the cap.
      while (sent < 200_000) {
        const messages = Array.from({ length: BATCH }, (_, i) => ({ value: `r${sent + i}` }));
        sent += BATCH;
        await producer.send({ topic: TOPIC, acks: -1, messages });
        acked = sent;
      }
    })().catch(() => undefined);
    await eventually(() => acked >= 300);
    first.child.kill("SIGKILL");
    await exited(first.child);
    await stream;
    await producer.disconnect().catch(() => undefined);

    const second = await startCli(dataDir);
    running = second.child;
    const reader = kafkaFor(second.port);
    const consumer = reader.consumer({ groupId: "crash-check", maxWaitTimeInMs: 100 });
    const values: string[] = [];
    const adminAfter = reader.admin();
    await adminAfter.connect();
    const [{ high }] = await adminAfter.fetchTopicOffsets(TOPIC);
    await adminAfter.disconnect();
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? ""),
    });
    await eventually(() => values.length >= Number(high));
    await consumer.disconnect();

    expect(Number(high)).toBeGreaterThanOrEqual(acked);
    expect(values.length).toBeLessThanOrEqual(sent);
    // Whole batches only, in the order they were sent: r0, r1, … with nothing missing or torn.
    expect(values.length % BATCH).toBe(0);
    expect(values).toEqual(Array.from({ length: values.length }, (_, i) => `r${i}`));
    running.kill("SIGTERM");
    await exited(running);
    running = undefined;
  });
});
