import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Broker } from "../../../local/kafka/broker";
import { parseBatchHeader } from "../../../local/kafka/protocol/record-batch";
import { eventually, kafkaFor, removeDir, tempDir, testBroker } from "./helpers";

const TOPIC = "payments.settled";

async function consumeNew(port: number, expected: number): Promise<string[]> {
  const consumer = kafkaFor(port).consumer({
    groupId: "settlement",
    maxWaitTimeInMs: 100,
    heartbeatInterval: 200,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  const values: string[] = [];
  await consumer.run({
    eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? ""),
  });
  await eventually(() => values.length >= expected);
  await consumer.disconnect();
  return values;
}

async function produce(port: number, from: number, count: number): Promise<void> {
  const producer = kafkaFor(port).producer({ idempotent: true });
  await producer.connect();
  await producer.send({
    topic: TOPIC,
    messages: Array.from({ length: count }, (_, i) => ({ value: `v${from + i}` })),
  });
  await producer.disconnect();
}

const producerIds = (broker: Broker) =>
  [...(broker.store.partition(TOPIC, 0)?.batchesFrom(0n) ?? [])].map((b) => parseBatchHeader(b).producerId);

describe("broker restart on the same data dir", () => {
  let dataDir: string;
  let broker: Broker | undefined;

  beforeAll(async () => {
    dataDir = await tempDir();
  });
  afterAll(async () => {
    await broker?.stop();
    await removeDir(dataDir);
  });

  it("keeps records, committed offsets, and never reissues a producer id", async () => {
    broker = await testBroker({ dataDir });
    const admin = kafkaFor(broker.port).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }] });
    await admin.disconnect();
    await produce(broker.port, 0, 10);
    expect(await consumeNew(broker.port, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
    const [firstProducer] = producerIds(broker);
    await broker.stop();

    broker = await testBroker({ dataDir });
    expect(broker.store.partition(TOPIC, 0)?.highWatermark).toBe(10n);
    expect(broker.store.offsets.fetch("settlement", TOPIC, 0)?.offset).toBe(10n);
    await produce(broker.port, 10, 5);
    // The group resumes from its committed offset: only the new records are delivered.
    expect(await consumeNew(broker.port, 5)).toEqual(["v10", "v11", "v12", "v13", "v14"]);
    const ids = producerIds(broker);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBeGreaterThan(firstProducer);
  });
});
