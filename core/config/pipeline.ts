import type { PaymentType } from "../generated/graphql";
import { type Fields, fieldsOf } from "./fields";
import { PAYMENT_TYPES } from "./region";

const DLQ_SUFFIX = ".dlq";

/** The dead-letter twin of a pipeline topic (same partitions and retention). */
export const dlqTopicOf = (topic: string): string => `${topic}${DLQ_SUFFIX}`;

export type PartitionRange = { paymentType: PaymentType; first: number; count: number };

export type TopicConfig = {
  name: string;
  retentionMs: number;
  /** Sum of all payment types' ranges. */
  partitions: number;
  /** The dead-letter twin: `<name>.dlq`, same partitions and retention. */
  dlq: string;
};

export type StartingPosition = "LATEST" | "TRIM_HORIZON";

export type ConsumerConfig = {
  name: string;
  handler: string;
  topics: string[];
  batchSize: number;
  batchWindowMs: number;
  startingPosition: StartingPosition;
  maxRetries: number;
  reservedConcurrency: number;
};

export type PipelineConfig = {
  /** Contiguous ranges per payment type, in the order listed. */
  partitions: PartitionRange[];
  topics: TopicConfig[];
  consumers: ConsumerConfig[];
};

export const DEFAULT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const TOPIC = /^[a-z][a-z0-9.-]{0,200}[a-z0-9]$/;
const CONSUMER = /^[a-z][a-z0-9-]{0,31}$/;

/** Validates a parsed `config/pipeline.yaml`; errors name `file` and the field. */
export function parsePipelineConfig(document: unknown, file: string): PipelineConfig {
  const f: Fields = fieldsOf(file);
  const doc = f.object(document, "");
  f.only(doc, "", ["retentionMs", "partitions", "topics", "consumers"]);
  const defaultRetention =
    doc.retentionMs === undefined
      ? DEFAULT_RETENTION_MS
      : f.integer(doc.retentionMs, "retentionMs", 60_000, 2 ** 52);

  let next = 0;
  const partitions = f
    .list(doc.partitions, "partitions", "{ paymentType, count }")
    .map((item, i): PartitionRange => {
      const at = `partitions[${i}]`;
      const entry = f.object(item, at);
      f.only(entry, at, ["paymentType", "count"]);
      const paymentType = f.string(entry.paymentType, `${at}.paymentType`) as PaymentType;
      if (!PAYMENT_TYPES.includes(paymentType)) f.fail(`${at}.paymentType`, `is not a payment type`);
      const count = f.integer(entry.count, `${at}.count`, 1, 256);
      const range = { paymentType, first: next, count };
      next += count;
      return range;
    });
  for (const type of PAYMENT_TYPES) {
    const listed = partitions.filter((range) => range.paymentType === type).length;
    if (listed !== 1) f.fail("partitions", `must list ${type} exactly once (found ${listed})`);
  }

  const topicList = f.list(doc.topics, "topics", "{ name, retentionMs? }");
  if (topicList.length === 0) f.fail("topics", "must declare at least one topic");
  const topics = topicList.map((item, i): TopicConfig => {
    const at = `topics[${i}]`;
    const entry = f.object(item, at);
    f.only(entry, at, ["name", "retentionMs"]);
    const name = f.string(entry.name, `${at}.name`, TOPIC, "a topic name like payments.initiated");
    if (name.endsWith(DLQ_SUFFIX))
      f.fail(`${at}.name`, "must not end in .dlq (dead-letter twins are implied)");
    const retentionMs =
      entry.retentionMs === undefined
        ? defaultRetention
        : f.integer(entry.retentionMs, `${at}.retentionMs`, 60_000, 2 ** 52);
    return { name, retentionMs, partitions: next, dlq: dlqTopicOf(name) };
  });
  const names = new Set(topics.map((topic) => topic.name));
  if (names.size !== topics.length) f.fail("topics", "names must be unique");

  const consumers = f
    .list(doc.consumers, "consumers", "consumer definitions")
    .map((item, i): ConsumerConfig => {
      const at = `consumers[${i}]`;
      const entry = f.object(item, at);
      f.only(entry, at, [
        "name",
        "handler",
        "topics",
        "batchSize",
        "batchWindowMs",
        "startingPosition",
        "maxRetries",
        "reservedConcurrency",
      ]);
      const name = f.string(entry.name, `${at}.name`, CONSUMER, "a lower-case service name");
      const handler = f.string(entry.handler, `${at}.handler`);
      if (handler !== `consumers/${name}/handler.ts`)
        f.fail(`${at}.handler`, `must be consumers/${name}/handler.ts`);
      const consumerTopics = f.stringList(entry.topics, `${at}.topics`);
      if (consumerTopics.length === 0) f.fail(`${at}.topics`, "must name at least one topic");
      consumerTopics.forEach((topic, j) => {
        if (!names.has(topic)) f.fail(`${at}.topics[${j}]`, `"${topic}" is not a declared topic`);
      });
      const startingPosition = f.string(entry.startingPosition, `${at}.startingPosition`) as StartingPosition;
      if (startingPosition !== "LATEST" && startingPosition !== "TRIM_HORIZON") {
        f.fail(`${at}.startingPosition`, "must be LATEST or TRIM_HORIZON");
      }
      const batchWindowMs = f.integer(entry.batchWindowMs, `${at}.batchWindowMs`, 0, 300_000);
      if (batchWindowMs % 1000 !== 0) {
        f.fail(
          `${at}.batchWindowMs`,
          "must be whole seconds (0, 1000, 2000, …): an MSK event source mapping's MaximumBatchingWindowInSeconds is an integer",
        );
      }
      // Bounds are those of Lambda's MSK event source mapping.
      return {
        name,
        handler,
        topics: consumerTopics,
        batchSize: f.integer(entry.batchSize, `${at}.batchSize`, 1, 10_000),
        batchWindowMs,
        startingPosition,
        maxRetries: f.integer(entry.maxRetries, `${at}.maxRetries`, 0, 10_000),
        reservedConcurrency: f.integer(entry.reservedConcurrency, `${at}.reservedConcurrency`, 1, 1_000),
      };
    });
  if (new Set(consumers.map((c) => c.name)).size !== consumers.length)
    f.fail("consumers", "names must be unique");
  return { partitions, topics, consumers };
}

/** Every topic to create: each declared topic and its dead-letter twin. */
export function allTopics(
  pipeline: PipelineConfig,
): { name: string; partitions: number; retentionMs: number }[] {
  return pipeline.topics.flatMap((topic) => [
    { name: topic.name, partitions: topic.partitions, retentionMs: topic.retentionMs },
    { name: topic.dlq, partitions: topic.partitions, retentionMs: topic.retentionMs },
  ]);
}
