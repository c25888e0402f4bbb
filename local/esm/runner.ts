// Local stand-in for Lambda's MSK event source mapping: one consumer group per function,
// records handed over as a real MSKEvent in batches of at most `batchSize`, retried and
// bisected by `deliver`, dead letters written to `<topic>.dlq`, and the partition's offset
// committed only once the batch is handled. With no batching window, records are handed
// over as soon as a fetch returns them (the broker's long poll wakes on append). With one,
// the mapping's fetch asks the broker to wait up to the window for about `batchSize`
// records' worth of bytes (Kafka's fetch.min.bytes / fetch.max.wait.ms; Lambda counts
// records, Kafka bytes), so records are gathered for at most the window, as on AWS.
import { type Consumer, type EachBatchPayload, type Kafka, Partitioners, type Producer } from "kafkajs";
import { type KafkaRecord, type MSKEvent, toMskEvent } from "../../consumers/platform/msk-event";
import { deadLetterMessage } from "./dead-letter";
import { type DeliveryPolicy, deliver } from "./deliver";

export type MskFunction = (event: MSKEvent) => Promise<unknown>;

export type EventSourceMapping = {
  functionName: string;
  /** Consumer group; defaults to `payrail-esm-<functionName>`. */
  groupId?: string;
  topics: string[];
  /** TRIM_HORIZON (true, default) or LATEST for a group without committed offsets. */
  fromBeginning?: boolean;
  handler: MskFunction;
  batchSize?: number;
  /** Gather records for up to this long before invoking (0: invoke as soon as a fetch returns). */
  batchWindowMs?: number;
  policy?: Partial<DeliveryPolicy>;
};

export type Invocation = { functionName: string; records: number; ms: number; ok: boolean };

export type RunnerOptions = {
  kafka: Kafka;
  bootstrapServers: string;
  mappings: EventSourceMapping[];
  /** Called after every invocation (benchmarks use it for time per stage). */
  onInvocation?: (invocation: Invocation) => void;
  /** Called for every record sent to a DLQ. */
  onDeadLetter?: (functionName: string, record: KafkaRecord, error: unknown) => void;
};

export type EventSourceRunner = { stop(): Promise<void> };

export const DEFAULT_POLICY: DeliveryPolicy = {
  maxAttempts: 3,
  bisectOnError: true,
  baseMs: 25,
  capMs: 1000,
};

/** How long an idle fetch waits for records; appends wake it at once, so this only sets the idle poll rate. */
const IDLE_FETCH_WAIT_MS = 1000;

/** What a record weighs on the wire, roughly (our events are 0.5–1.5 KiB), to ask for a batch in bytes. */
const RECORD_BYTES = 1024;

const EVENT_SOURCE_ARN = "arn:aws:kafka:local:000000000000:cluster/payrail-local/local";

export async function startEventSourceMappings(options: RunnerOptions): Promise<EventSourceRunner> {
  const dlqProducer = options.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await dlqProducer.connect();
  // Side by side: each start waits for its group to be joined and synced.
  const started = await Promise.allSettled(
    options.mappings.map((mapping) => startMapping(options, mapping, dlqProducer)),
  );
  const consumers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.allSettled([...consumers.map((c) => c.disconnect()), dlqProducer.disconnect()]);
    throw failed.reason;
  }
  return {
    async stop() {
      await Promise.allSettled(consumers.map((c) => c.disconnect()));
      await dlqProducer.disconnect();
    },
  };
}

async function startMapping(
  options: RunnerOptions,
  mapping: EventSourceMapping,
  dlqProducer: Producer,
): Promise<Consumer> {
  const batchSize = mapping.batchSize ?? 100;
  const windowMs = mapping.batchWindowMs ?? 0;
  const policy = { ...DEFAULT_POLICY, ...mapping.policy };
  const source = { eventSourceArn: EVENT_SOURCE_ARN, bootstrapServers: options.bootstrapServers };
  const consumer = options.kafka.consumer({
    groupId: mapping.groupId ?? `payrail-esm-${mapping.functionName}`,
    ...(windowMs > 0
      ? { maxWaitTimeInMs: windowMs, minBytes: batchSize * RECORD_BYTES }
      : { maxWaitTimeInMs: IDLE_FETCH_WAIT_MS }),
    allowAutoTopicCreation: false,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    rebalanceTimeout: 10_000,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: mapping.topics, fromBeginning: mapping.fromBeginning ?? true });

  const invoke = async (records: KafkaRecord[]) => {
    const started = performance.now();
    let ok = false;
    try {
      await mapping.handler(toMskEvent(records, source));
      ok = true;
    } finally {
      options.onInvocation?.({
        functionName: mapping.functionName,
        records: records.length,
        ms: performance.now() - started,
        ok,
      });
    }
  };

  const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
    const records: KafkaRecord[] = batch.messages.map((m) => ({
      topic: batch.topic,
      partition: batch.partition,
      offset: m.offset,
      timestamp: m.timestamp,
      key: m.key,
      value: m.value,
      headers: m.headers,
    }));
    for (let start = 0; start < records.length; start += batchSize) {
      if (!isRunning() || isStale()) return;
      const chunk = records.slice(start, start + batchSize);
      const dead = await deliver(chunk, invoke, policy);
      const letters = dead.flatMap((d) =>
        d.records.map((record) => {
          options.onDeadLetter?.(mapping.functionName, record, d.error);
          return deadLetterMessage(record, {
            functionName: mapping.functionName,
            error: d.error,
            attempts: d.attempts,
          });
        }),
      );
      if (letters.length > 0) {
        await dlqProducer.sendBatch({
          acks: -1,
          topicMessages: letters.map(({ topic, message }) => ({ topic, messages: [message] })),
        });
      }
      const last = chunk[chunk.length - 1];
      if (!last) continue;
      // The batch is handled (or dead-lettered): only now does the group move past it.
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
      ]);
      resolveOffset(last.offset);
      await heartbeat();
    }
  };

  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 4,
    eachBatch,
  });
  return consumer;
}
