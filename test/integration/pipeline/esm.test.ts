// The event-source-mapping runner and the DLQ commands against the real local broker,
// driven by unmodified kafkajs clients.
import type { Kafka } from "kafkajs";
import { Partitioners } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DLQ_HEADER } from "../../../consumers/pipeline/headers";
import { kafkaClient } from "../../../consumers/platform/kafka-client";
import {
  type MSKEvent,
  mskHeader,
  mskKey,
  mskRecords,
  mskValue,
} from "../../../consumers/platform/msk-event";
import { listDeadLetters, replayDeadLetters } from "../../../local/esm/dlq";
import { drainTopic } from "../../../local/esm/drain";
import { type EventSourceRunner, startEventSourceMappings } from "../../../local/esm/runner";
import { type Broker, startBroker } from "../../../local/kafka/broker";
import { silentLogger } from "../../../local/kafka/logger";

const TOPIC = "esm.test";
const COUNT = 60;

const until = (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) =>
  vi.waitFor(
    async () => {
      if (!(await condition())) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: timeoutMs, interval: 50 },
  );

describe("event source mapping runner on the local broker", () => {
  let broker: Broker;
  let kafka: Kafka;
  let runner: EventSourceRunner | undefined;
  const seen = new Map<string, number>();
  const events: MSKEvent[] = [];
  let poisonFixed = false;
  let committedBehind = true;

  beforeAll(async () => {
    broker = await startBroker({ port: 0, memory: true, logger: silentLogger });
    kafka = kafkaClient({ brokers: [`127.0.0.1:${broker.port}`], clientId: "esm-test" });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: TOPIC, numPartitions: 2 },
        { topic: `${TOPIC}.dlq`, numPartitions: 2 },
      ],
    });
    await admin.disconnect();
  });

  afterAll(async () => {
    await runner?.stop();
    await broker?.stop();
  });

  it("delivers every record as an MSKEvent, dead-letters the poison one, commits only after success", async () => {
    const admin = kafka.admin();
    await admin.connect();
    runner = await startEventSourceMappings({
      kafka,
      bootstrapServers: `127.0.0.1:${broker.port}`,
      mappings: [
        {
          functionName: "probe",
          topics: [TOPIC],
          batchSize: 10,
          policy: { maxAttempts: 2, baseMs: 5, capMs: 5 },
          handler: async (event) => {
            events.push(event);
            const records = mskRecords(event);
            // While the handler runs, the group has not moved past these records.
            const [committed] = await admin.fetchOffsets({ groupId: "payrail-esm-probe", topics: [TOPIC] });
            for (const record of records) {
              const position = committed?.partitions.find((p) => p.partition === record.partition)?.offset;
              if (position !== undefined && BigInt(position) > BigInt(record.offset)) committedBehind = false;
            }
            if (!poisonFixed && records.some((r) => mskValue(r).toString() === "poison")) {
              throw new Error("cannot handle card 4111 1111 1111 1111 in poison");
            }
            for (const record of records) {
              const value = mskValue(record).toString();
              seen.set(value, (seen.get(value) ?? 0) + 1);
            }
          },
        },
      ],
    });

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const messages = Array.from({ length: COUNT }, (_, i) => ({
      key: i % 2 === 0 ? "acme" : "globex",
      value: i === 17 ? "poison" : `m${i}`,
      partition: i % 2,
      headers: { "tenant-id": i % 2 === 0 ? "acme" : "globex", "correlation-id": `c${i}` },
    }));
    await producer.send({ topic: TOPIC, acks: -1, messages });
    await producer.disconnect();

    await until(() => seen.size === COUNT - 1, "all healthy records");
    const first = events[0];
    expect(first?.eventSource).toBe("aws:kafka");
    expect(Object.keys(first?.records ?? {}).every((k) => /^esm\.test-[01]$/.test(k))).toBe(true);
    const sample = first && mskRecords(first)[0];
    expect(sample && mskKey(sample)).toMatch(/^(acme|globex)$/);
    expect(sample && mskHeader(sample, "correlation-id")).toMatch(/^c\d+$/);
    expect(Math.max(...events.map((e) => mskRecords(e).length))).toBeLessThanOrEqual(10);
    expect(committedBehind).toBe(true);

    await until(async () => {
      const [committed] = await admin.fetchOffsets({ groupId: "payrail-esm-probe", topics: [TOPIC] });
      return committed?.partitions.reduce((sum, p) => sum + Number(p.offset), 0) === COUNT;
    }, "offsets committed to the end");
    await admin.disconnect();

    const dead = await listDeadLetters(kafka, TOPIC);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      tenantId: "globex",
      correlationId: "c17",
      consumer: "probe",
      attempts: 2,
      original: { topic: TOPIC, partition: 1, offset: "8" },
    });
    expect(dead[0]?.error).toContain("cannot handle card [REDACTED] in poison");
    expect(await listDeadLetters(kafka, TOPIC, "acme")).toHaveLength(0);
  });

  it("replays a dead letter after the fix, once, to its original partition", async () => {
    poisonFixed = true;
    expect(await replayDeadLetters(kafka, TOPIC, "acme")).toBe(0);
    expect(await replayDeadLetters(kafka, TOPIC, "globex")).toBe(1);
    await until(() => seen.get("poison") === 1, "the replayed record");
    expect(await replayDeadLetters(kafka, TOPIC, "globex")).toBe(0);

    const replayed: string[] = [];
    await drainTopic(kafka, {
      topic: TOPIC,
      onBatch: async (records) => {
        for (const r of records) {
          if (r.value?.toString() === "poison") {
            replayed.push(`${r.partition}:${r.headers?.[DLQ_HEADER.error] === undefined}`);
          }
        }
      },
    });
    // The original and the replay, both on partition 1; the replay without dlq-* headers.
    expect(replayed).toEqual(["1:true", "1:true"]);
  });
});

describe("event source mapping with a batching window", () => {
  const WINDOW_TOPIC = "esm.window";
  let broker: Broker;
  let kafka: Kafka;
  const runners: EventSourceRunner[] = [];

  beforeAll(async () => {
    broker = await startBroker({ port: 0, memory: true, logger: silentLogger });
    kafka = kafkaClient({ brokers: [`127.0.0.1:${broker.port}`], clientId: "esm-window-test" });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: WINDOW_TOPIC, numPartitions: 1 }] });
    await admin.disconnect();
  });

  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await broker?.stop();
  });

  it("gathers records appended one by one into few invocations, in order; without one each goes at once", async () => {
    const batches: Record<string, string[][]> = { windowed: [], immediate: [] };
    for (const [name, batchWindowMs] of [
      ["windowed", 5000],
      ["immediate", 0],
    ] as const) {
      runners.push(
        await startEventSourceMappings({
          kafka,
          bootstrapServers: `127.0.0.1:${broker.port}`,
          mappings: [
            {
              functionName: name,
              topics: [WINDOW_TOPIC],
              batchSize: 100,
              batchWindowMs,
              handler: async (event) => {
                batches[name]?.push(mskRecords(event).map((r) => mskValue(r).toString()));
              },
            },
          ],
        }),
      );
    }
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const values = Array.from({ length: 10 }, (_, i) => `w${i}`);
    for (const value of values) {
      // One append each, spread out as a trickle of payments would be.
      await producer.send({ topic: WINDOW_TOPIC, acks: -1, messages: [{ key: "acme", value }] });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await producer.disconnect();
    const all = (name: string) => (batches[name] ?? []).flat();
    await until(() => all("windowed").length === 10 && all("immediate").length === 10, "both mappings");
    expect(all("windowed")).toEqual(values);
    expect(all("immediate")).toEqual(values);
    // 10 appends over ~0.5 s fall into one 5 s window (two if a fetch began just before the first).
    expect(batches.windowed?.length).toBeLessThanOrEqual(2);
    expect(batches.immediate?.length).toBeGreaterThan(2);
  });
});
