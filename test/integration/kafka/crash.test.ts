import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnBroker } from "../../../local/kafka/process";
import { eventually, kafkaFor, removeDir, tempDir } from "./helpers";

const TOPIC = "payments.crash";
const BATCH = 10;

// Both flush policies promise the same to a client: an acknowledged write survives kill -9.
const FLUSH_MODES = [
  ["fdatasync before every ack", ["--flush", "always"]],
  ["background fdatasync", ["--flush", "interval", "--flush-interval-ms", "200"]],
] as const;

describe.each(FLUSH_MODES)("crash: SIGKILL during a produce stream (%s)", (_mode, flushArgs) => {
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
    const first = await spawnBroker(["--data-dir", dataDir, ...flushArgs]);
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
    await first.exited;
    await stream;
    await producer.disconnect().catch(() => undefined);

    const second = await spawnBroker(["--data-dir", dataDir, ...flushArgs]);
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
    expect(await second.exited).toBe(0);
    running = undefined;
  });
});
