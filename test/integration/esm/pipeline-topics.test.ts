// The local stack's topics follow config/pipeline.yaml through the shared planner, against
// the real local broker (durable, so the changes must also survive a restart): a grown
// partition range and a changed retention are applied to existing topics, a shrink is
// refused, and an up-to-date broker is left alone.
import { ConfigResourceTypes } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYMENT_TYPES, type PipelineConfig, parsePipelineConfig } from "../../../core/config";
import { ensurePipelineTopics } from "../../../local/esm/topics";
import type { Broker } from "../../../local/kafka/broker";
import { kafkaFor, removeDir, tempDir, testBroker } from "../kafka/helpers";

const pipelineWith = (firstRange: number, retentionMs: number): PipelineConfig =>
  parsePipelineConfig(
    {
      retentionMs,
      partitions: PAYMENT_TYPES.map((paymentType, i) => ({ paymentType, count: i === 0 ? firstRange : 1 })),
      topics: [{ name: "payments.initiated" }],
      consumers: [],
    },
    "pipeline.yaml",
  );
const partitionsFor = (firstRange: number) => firstRange + PAYMENT_TYPES.length - 1;

let dataDir: string;
let broker: Broker;

beforeAll(async () => {
  dataDir = await tempDir();
  broker = await testBroker({ port: 0, dataDir });
});

afterAll(async () => {
  await broker?.stop();
  await removeDir(dataDir);
});

async function described(name: string) {
  const admin = kafkaFor(broker.port).admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [name] });
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name, configNames: ["retention.ms"] }],
    });
    return {
      partitions: metadata.topics[0].partitions.length,
      retentionMs: resources[0].configEntries[0]?.configValue,
    };
  } finally {
    await admin.disconnect();
  }
}

describe("pipeline topics on the local broker", () => {
  it("creates the topics, then grows partitions and changes retention of the existing ones", async () => {
    const created = await ensurePipelineTopics(kafkaFor(broker.port), pipelineWith(2, 86_400_000));
    expect(created.create.map((t) => t.name)).toEqual(["payments.initiated", "payments.initiated.dlq"]);
    expect(await described("payments.initiated")).toEqual({
      partitions: partitionsFor(2),
      retentionMs: "86400000",
    });

    const changed = await ensurePipelineTopics(kafkaFor(broker.port), pipelineWith(5, 3_600_000));
    expect(changed.create).toEqual([]);
    expect(changed.grow).toEqual([
      { name: "payments.initiated", partitions: partitionsFor(5) },
      { name: "payments.initiated.dlq", partitions: partitionsFor(5) },
    ]);
    expect(changed.configure.map((t) => t.name)).toEqual(["payments.initiated", "payments.initiated.dlq"]);
    for (const name of ["payments.initiated", "payments.initiated.dlq"]) {
      expect(await described(name)).toEqual({ partitions: partitionsFor(5), retentionMs: "3600000" });
    }
  });

  it("accepts records on a new partition and keeps the grown topic across a restart", async () => {
    const producer = kafkaFor(broker.port).producer();
    await producer.connect();
    const last = partitionsFor(5) - 1;
    const [sent] = await producer.send({
      topic: "payments.initiated",
      acks: -1,
      messages: [{ key: "acme", value: "on the new partition", partition: last }],
    });
    await producer.disconnect();
    expect(sent).toMatchObject({ partition: last, errorCode: 0, baseOffset: "0" });

    await broker.stop();
    broker = await testBroker({ port: 0, dataDir });
    expect(await described("payments.initiated")).toEqual({
      partitions: partitionsFor(5),
      retentionMs: "3600000",
    });
    expect(broker.store.partition("payments.initiated", last)?.highWatermark).toBe(1n);
  });

  it("changes nothing when the broker already matches the plan", async () => {
    const again = await ensurePipelineTopics(kafkaFor(broker.port), pipelineWith(5, 3_600_000));
    expect(again).toEqual({ create: [], grow: [], configure: [] });
  });

  it("refuses to shrink a topic, naming it and both counts", async () => {
    await expect(ensurePipelineTopics(kafkaFor(broker.port), pipelineWith(3, 3_600_000))).rejects.toThrow(
      `topic payments.initiated has ${partitionsFor(5)} partitions, the plan ${partitionsFor(3)}: Kafka cannot shrink a topic`,
    );
    expect((await described("payments.initiated")).partitions).toBe(partitionsFor(5));
  });
});
