import { Kafka, logLevel } from "kafkajs";

export type Latency = { rate: number; records: number; p50: number; p99: number; max: number };

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** Percentiles of the samples (ms) from runs at `rate` records/s. */
export function summarize(samples: number[], rate: number): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    rate,
    records: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
  };
}

/**
 * Produce→consume latencies (ms) at a fixed rate: every 5 ms tick sends rate/200 records
 * carrying their send time (acks=-1); a consumer in the same process records arrival − send time.
 */
export async function produceConsumeLatencies(
  port: number,
  topic: string,
  rate = 5000,
  seconds = 5,
): Promise<number[]> {
  const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `latency-${Date.now()}`, maxWaitTimeInMs: 500, minBytes: 1 });
  const producer = kafka.producer();
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: false });
  const latencies: number[] = [];
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  await consumer.run({
    eachMessage: async ({ message }) => {
      latencies.push(performance.now() - Number(message.value?.toString()));
    },
  });
  for (let i = 0; i < 200 && !joined; i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));

  // One batch per 5 ms tick on a fixed schedule (no busy loop: it would compete with the clients).
  const tickMs = 5;
  const perTick = Math.round((rate * tickMs) / 1000);
  const total = rate * seconds;
  const started = performance.now();
  const sends: Promise<unknown>[] = [];
  for (let tick = 0, sent = 0; sent < total; tick++, sent += perTick) {
    const stamp = String(performance.now());
    sends.push(
      producer.send({ topic, acks: -1, messages: Array.from({ length: perTick }, () => ({ value: stamp })) }),
    );
    const wait = started + (tick + 1) * tickMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await Promise.all(sends);
  for (let i = 0; i < 200 && latencies.length < total; i++) await new Promise((r) => setTimeout(r, 25));
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  return latencies;
}
