// The DLQ commands: list what a function could not handle, and re-drive it to the
// original topic and partition after a fix. Replay remembers how far it got in a consumer
// group (one per tenant filter); handlers are idempotent, so a record replayed twice
// (say, once for its tenant, once unfiltered) changes nothing twice.
import { type Kafka, Partitioners } from "kafkajs";
import { DLQ_HEADER, HEADER } from "../../consumers/pipeline/headers";
import type { KafkaRecord } from "../../consumers/platform/msk-event";
import { dlqTopicOf } from "../../core/config";
import { drainTopic } from "./drain";

export type DeadLetterEntry = {
  partition: number;
  offset: string;
  tenantId: string;
  correlationId: string;
  eventType: string;
  error: string;
  consumer: string;
  attempts: number;
  original: { topic: string; partition: number; offset: string };
};

const text = (record: KafkaRecord, name: string): string => {
  const raw = record.headers?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined ? "" : value.toString();
};

const tenantOf = (record: KafkaRecord): string =>
  text(record, HEADER.tenantId) || (record.key?.toString() ?? "");

export function describeDeadLetter(record: KafkaRecord): DeadLetterEntry {
  return {
    partition: record.partition,
    offset: record.offset,
    tenantId: tenantOf(record),
    correlationId: text(record, HEADER.correlationId),
    eventType: text(record, HEADER.eventType),
    error: text(record, DLQ_HEADER.error),
    consumer: text(record, DLQ_HEADER.consumer),
    attempts: Number(text(record, DLQ_HEADER.attempts)),
    original: {
      topic: text(record, DLQ_HEADER.originalTopic),
      partition: Number(text(record, DLQ_HEADER.originalPartition)),
      offset: text(record, DLQ_HEADER.originalOffset),
    },
  };
}

export async function listDeadLetters(
  kafka: Kafka,
  topic: string,
  tenant?: string,
): Promise<DeadLetterEntry[]> {
  const entries: DeadLetterEntry[] = [];
  await drainTopic(kafka, {
    topic: dlqTopicOf(topic),
    onBatch: async (records) => {
      for (const record of records)
        if (!tenant || tenantOf(record) === tenant) entries.push(describeDeadLetter(record));
    },
  });
  return entries;
}

const replayGroup = (topic: string, tenant?: string) =>
  tenant ? `payrail-dlq-replay.${topic}.${tenant}` : `payrail-dlq-replay.${topic}`;

/** Re-produces not yet replayed DLQ records (of `tenant`, when given); returns how many. */
export async function replayDeadLetters(kafka: Kafka, topic: string, tenant?: string): Promise<number> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  let replayed = 0;
  const dlqHeaders = new Set<string>(Object.values(DLQ_HEADER));
  try {
    await drainTopic(kafka, {
      topic: dlqTopicOf(topic),
      groupId: replayGroup(topic, tenant),
      commit: true,
      onBatch: async (records) => {
        const messages = records
          .filter((record) => !tenant || tenantOf(record) === tenant)
          .map((record) => ({
            partition: Number(text(record, DLQ_HEADER.originalPartition)),
            key: record.key,
            value: record.value,
            headers: Object.fromEntries(
              Object.entries(record.headers ?? {}).filter(([name]) => !dlqHeaders.has(name)),
            ),
          }));
        if (messages.length === 0) return;
        await producer.send({ topic, acks: -1, messages });
        replayed += messages.length;
      },
    });
  } finally {
    await producer.disconnect();
  }
  return replayed;
}
