import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Broker } from "../../../local/kafka/broker";
import { eventually, kafkaFor, removeDir, tempDir, testBroker } from "./helpers";

describe("retention timer", () => {
  let broker: Broker;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await tempDir();
    broker = await testBroker({ dataDir, retentionCheckMs: 100 });
  });
  afterAll(async () => {
    await broker.stop();
    await removeDir(dataDir);
  });

  it("deletes whole old segments per retention.ms and clients see the new earliest offset", async () => {
    const kafka = kafkaFor(broker.port);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: "audit.short",
          numPartitions: 1,
          configEntries: [
            { name: "retention.ms", value: "60000" },
            { name: "segment.bytes", value: "2048" },
          ],
        },
      ],
    });
    const producer = kafka.producer();
    await producer.connect();
    const hourAgo = String(Date.now() - 3_600_000);
    for (let i = 0; i < 10; i++) {
      await producer.send({
        topic: "audit.short",
        messages: [{ value: `old-${i} ${"x".repeat(500)}`, timestamp: hourAgo }],
      });
    }
    await producer.send({ topic: "audit.short", messages: [{ value: "fresh" }] });
    await producer.disconnect();

    const log = broker.store.partition("audit.short", 0);
    await eventually(() => (log?.logStartOffset ?? 0n) > 0n, 10_000);
    const [earliest] = await admin.fetchTopicOffsetsByTimestamp("audit.short", 0);
    const [{ low, high }] = await admin.fetchTopicOffsets("audit.short");
    await admin.disconnect();
    expect(BigInt(low)).toBe(log?.logStartOffset);
    expect(high).toBe("11");
    expect(Number(earliest.offset)).toBeGreaterThanOrEqual(Number(low));
    // The segment holding the newest record is never deleted.
    expect(log?.logStartOffset).toBeLessThanOrEqual(10n);
  });
});
