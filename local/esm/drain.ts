// Reads a topic from a consumer group's position (or the beginning) up to the high
// watermark seen at the start, then stops: the bounded read the DLQ commands need.
import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import type { KafkaRecord } from "../../consumers/platform/msk-event";

export type DrainOptions = {
  topic: string;
  /** Group whose committed position to start from and, when `commit`, to advance. */
  groupId?: string;
  commit?: boolean;
  /** Handles one batch of one partition; the group moves past it only after this resolves. */
  onBatch(records: KafkaRecord[]): Promise<void>;
  timeoutMs?: number;
};

export async function drainTopic(kafka: Kafka, options: DrainOptions): Promise<void> {
  const groupId = options.groupId ?? `payrail-reader-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  const pending = new Map<number, bigint>();
  try {
    const ends = await admin.fetchTopicOffsets(options.topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [options.topic] });
    for (const { partition, high, low } of ends) {
      const position = committed?.partitions.find((p) => p.partition === partition)?.offset ?? "-1";
      const start = BigInt(position) >= 0n ? BigInt(position) : BigInt(low);
      if (start < BigInt(high)) pending.set(partition, BigInt(high));
    }
  } finally {
    await admin.disconnect();
  }
  if (pending.size === 0) return;

  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${options.topic} timed out`)),
        options.timeoutMs ?? 30_000,
      );
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const high = pending.get(batch.partition);
            if (high === undefined) return;
            const records = batch.messages
              .filter((m) => BigInt(m.offset) < high)
              .map((m) => ({ ...m, topic: batch.topic, partition: batch.partition }));
            await options.onBatch(records);
            const last = records[records.length - 1];
            if (!last) return;
            const next = BigInt(last.offset) + 1n;
            if (options.commit) {
              await consumer.commitOffsets([
                { topic: batch.topic, partition: batch.partition, offset: next.toString() },
              ]);
            }
            if (next >= high) pending.delete(batch.partition);
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error);
        });
    });
  } finally {
    await consumer.disconnect();
  }
}
