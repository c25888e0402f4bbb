import type { Consumer, Kafka } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Broker } from "../../../local/kafka/broker";
import { eventually, kafkaFor, testBroker } from "./helpers";

const TOPIC = "payments.initiated";
const PARTITIONS = 6;

type Join = { member: string; partitions: number[] };

describe("consumer group of three members", () => {
  let broker: Broker;
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await testBroker();
    kafka = kafkaFor(broker.port);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
    await admin.disconnect();
  });
  afterAll(() => broker.stop());

  it("rebalances as members join and leave without skipping a record", async () => {
    const seen = new Map<string, number>();
    const joins: Join[] = [];
    const start = async (name: string): Promise<Consumer> => {
      const consumer = kafka.consumer({
        groupId: "risk",
        sessionTimeout: 6000,
        rebalanceTimeout: 4000,
        heartbeatInterval: 100,
        maxWaitTimeInMs: 100,
      });
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        joins.push({
          member: name,
          partitions: (e.payload.memberAssignment[TOPIC] ?? []).slice().sort(),
        });
      });
      await consumer.connect();
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const v = message.value?.toString() ?? "";
          seen.set(v, (seen.get(v) ?? 0) + 1);
        },
      });
      return consumer;
    };
    const producer = kafka.producer();
    await producer.connect();
    let produced = 0;
    const produce = async (n: number) => {
      for (let i = 0; i < n; i++, produced++) {
        await producer.send({
          topic: TOPIC,
          messages: [{ key: `tenant-${produced % 7}`, value: `m${produced}` }],
        });
      }
    };
    const lastAssignment = (name: string) => joins.filter((j) => j.member === name).at(-1)?.partitions ?? [];

    const a = await start("a");
    await produce(40);
    await eventually(() => seen.size === produced);

    const b = await start("b");
    const c = await start("c");
    await produce(40);
    // Eventually all three share the six partitions, each owning some.
    await eventually(
      () =>
        ["a", "b", "c"].every((n) => lastAssignment(n).length === 2) &&
        new Set(["a", "b", "c"].flatMap(lastAssignment)).size === PARTITIONS,
    );
    await produce(40);
    await eventually(() => seen.size === produced);

    await b.disconnect();
    await produce(40);
    await eventually(() => lastAssignment("a").length + lastAssignment("c").length === PARTITIONS);
    await c.disconnect();
    await produce(40);
    await eventually(() => lastAssignment("a").length === PARTITIONS && seen.size === produced);
    await a.disconnect();
    await producer.disconnect();

    expect(produced).toBe(200);
    for (let i = 0; i < produced; i++) expect(seen.has(`m${i}`)).toBe(true);
    // At-least-once: redelivery is allowed around rebalances, but only of a few records.
    const redelivered = [...seen.values()].filter((n) => n > 1).length;
    expect(redelivered).toBeLessThan(produced / 2);
    // Every partition that received records has its committed offset at its end.
    const ends = Array.from(
      { length: PARTITIONS },
      (_, p) => broker.store.partition(TOPIC, p)?.highWatermark ?? 0n,
    );
    expect(ends.filter((end) => end > 0n).length).toBeGreaterThan(1);
    for (const [p, end] of ends.entries()) {
      if (end > 0n) expect(broker.store.offsets.fetch("risk", TOPIC, p)?.offset).toBe(end);
    }
  });
});
