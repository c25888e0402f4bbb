import { createRequire } from "node:module";
import { CompressionCodecs, CompressionTypes, type Kafka } from "kafkajs";
import LZ4Codec from "kafkajs-lz4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Broker } from "../../../local/kafka/broker";
import { ApiKey } from "../../../local/kafka/protocol/api-keys";
import { parseBatchHeader } from "../../../local/kafka/protocol/record-batch";
import { eventually, type KafkaProxy, kafkaFor, kafkaProxy, testBroker } from "./helpers";

const require = createRequire(import.meta.url);
CompressionCodecs[CompressionTypes.Snappy] = require("kafkajs-snappy");
CompressionCodecs[CompressionTypes.LZ4] = new LZ4Codec().codec;

/** Consumes `count` messages of `topic` with a fresh group, from the beginning. */
async function consumeAll(kafka: Kafka, topic: string, count: number) {
  const consumer = kafka.consumer({ groupId: `read-${topic}-${Math.random()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: {
    partition: number;
    offset: bigint;
    key: string;
    value: string;
    headers: Record<string, string>;
  }[] = [];
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      seen.push({
        partition,
        offset: BigInt(message.offset),
        key: message.key?.toString() ?? "",
        value: message.value?.toString() ?? "",
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
      });
    },
  });
  await eventually(() => seen.length >= count);
  await consumer.disconnect();
  return seen;
}

describe("kafkajs against the broker", () => {
  let broker: Broker;
  let proxy: KafkaProxy;
  let kafka: Kafka;
  let dropProduceResponses = 0;
  const produceRequests: Buffer[] = [];

  beforeAll(async () => {
    proxy = await kafkaProxy({
      dropResponse: (req) => req.apiKey === ApiKey.Produce && dropProduceResponses-- > 0,
      observe: (direction, req, frame) => {
        if (direction === "request" && req.apiKey === ApiKey.Produce)
          produceRequests.push(Buffer.from(frame));
      },
    });
    broker = await testBroker({ advertisedPort: proxy.port });
    proxy.targetPort = broker.port;
    kafka = kafkaFor(proxy.port, { requestTimeout: 5000 });
  });
  afterAll(async () => {
    await proxy.close();
    await broker.stop();
  });

  it("keeps per-key order across partitions", async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: "orders", numPartitions: 4 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const keys = ["acme", "globex", "initech", "umbrella", "hooli", "stark"];
    for (let round = 0; round < 20; round++) {
      await producer.send({
        topic: "orders",
        messages: keys.map((key) => ({ key, value: `${key}:${round}` })),
      });
    }
    await producer.disconnect();
    const seen = await consumeAll(kafka, "orders", keys.length * 20);
    expect(seen).toHaveLength(keys.length * 20);
    expect(new Set(seen.map((m) => m.partition)).size).toBeGreaterThan(1);
    for (const key of keys) {
      const mine = seen.filter((m) => m.key === key);
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
      expect(mine.map((m) => m.value)).toEqual(Array.from({ length: 20 }, (_, i) => `${key}:${i}`));
    }
  });

  it("an idempotent producer's retry after a lost response adds no duplicate", async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: "payments", numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: "payments", messages: [{ key: "k", value: "0" }] });
    dropProduceResponses = 1;
    const before = produceRequests.length;
    const [ack] = await producer.send({
      topic: "payments",
      messages: [
        { key: "k", value: "1" },
        { key: "k", value: "2" },
      ],
    });
    expect(dropProduceResponses).toBe(-1);
    expect(produceRequests.length - before).toBeGreaterThanOrEqual(2);
    await producer.send({ topic: "payments", messages: [{ key: "k", value: "3" }] });
    await producer.disconnect();
    expect(ack.baseOffset).toBe("1");
    const seen = await consumeAll(kafka, "payments", 4);
    expect(seen.map((m) => [m.offset, m.value])).toEqual([
      [0n, "0"],
      [1n, "1"],
      [2n, "2"],
      [3n, "3"],
    ]);
    expect(broker.store.partition("payments", 0)?.highWatermark).toBe(4n);
  });

  it.each([
    ["gzip", CompressionTypes.GZIP, 1],
    ["snappy", CompressionTypes.Snappy, 2],
    ["lz4", CompressionTypes.LZ4, 3],
  ])("stores %s batches byte for byte and serves them back", async (name, compression, codec) => {
    const topic = `codec-${name}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const from = produceRequests.length;
    const messages = Array.from({ length: 50 }, (_, i) => ({
      key: `k${i}`,
      value: `payment ${i} `.repeat(20),
      headers: { "tenant-id": "acme", "correlation-id": `c${i}` },
    }));
    await producer.send({ topic, compression, messages });
    await producer.disconnect();

    const sent = produceRequests.slice(from).find((f) => f.includes(Buffer.from(topic)));
    const stored = broker.store.partition(topic, 0)?.read(0n, 1 << 20) ?? [];
    expect(stored).toHaveLength(1);
    expect(parseBatchHeader(stored[0]).attributes & 7).toBe(codec);
    // Everything after baseOffset is exactly what the producer sent.
    expect(sent?.includes(stored[0].subarray(8))).toBe(true);

    const seen = await consumeAll(kafka, topic, 50);
    expect(seen.map((m) => m.value)).toEqual(messages.map((m) => m.value));
    expect(seen[7].headers).toEqual({ "tenant-id": "acme", "correlation-id": "c7" });
  });

  it("answers admin calls: configs, listing, deletion, and unknown topics", async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: "short-lived", numPartitions: 2, configEntries: [{ name: "retention.ms", value: "60000" }] },
      ],
    });
    expect(await admin.createTopics({ topics: [{ topic: "short-lived" }] })).toBe(false);
    const { resources } = await admin.describeConfigs({
      resources: [{ type: 2, name: "short-lived", configNames: ["retention.ms"] }],
      includeSynonyms: false,
    });
    expect(resources[0].configEntries.map((c) => [c.configName, c.configValue])).toEqual([
      ["retention.ms", "60000"],
    ]);
    expect(await admin.listTopics()).toContain("short-lived");
    await admin.deleteTopics({ topics: ["short-lived"] });
    expect(await admin.listTopics()).not.toContain("short-lived");
    expect(broker.store.topic("short-lived")).toBeUndefined();
    const groups = await admin.listGroups();
    expect(groups.groups.length).toBeGreaterThan(0);
    const described = await admin.describeGroups([groups.groups[0].groupId]);
    expect(described.groups[0].state).toBe("Empty");
    await admin.disconnect();

    const producer = kafka.producer({ retry: { retries: 1, initialRetryTime: 10 } });
    await producer.connect();
    await expect(producer.send({ topic: "no-such-topic", messages: [{ value: "x" }] })).rejects.toThrow();
    await producer.disconnect();
  });
});
