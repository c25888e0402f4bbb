import { spawn } from "node:child_process";
import { Kafka, logLevel } from "kafkajs";

export const RECORD_BYTES = 1024;

export type Throughput = {
  records: number;
  bytes: number;
  seconds: number;
  mbPerSec: number;
  recordsPerSec: number;
};

const rate = (records: number, seconds: number): Throughput => ({
  records,
  bytes: records * RECORD_BYTES,
  seconds,
  mbPerSec: (records * RECORD_BYTES) / 1e6 / seconds,
  recordsPerSec: records / seconds,
});

/** librdkafka via kcat: 1 KiB lines from stdin, acks=all, its default batching. */
export async function kcatProduce(port: number, topic: string, records: number): Promise<Throughput> {
  const line = `${"x".repeat(RECORD_BYTES - 1)}\n`;
  const input = Buffer.from(line.repeat(records));
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      "kcat",
      [
        "-b",
        `127.0.0.1:${port}`,
        "-P",
        "-t",
        topic,
        "-X",
        "acks=all",
        "-X",
        "linger.ms=5",
        "-X",
        "queue.buffering.max.kbytes=1048576",
      ],
      { stdio: ["pipe", "ignore", "inherit"] },
    );
    child.on("exit", resolve);
    child.stdin.end(input);
  });
  if (code !== 0) throw new Error(`kcat exited with ${code}`);
  return rate(records, (performance.now() - started) / 1000);
}

/** kafkajs: batches of `batchSize` 1 KiB records, acks=-1, `inFlight` sends at a time. */
export async function kafkajsProduce(
  port: number,
  topic: string,
  records: number,
  batchSize = 500,
  inFlight = 4,
): Promise<Throughput> {
  const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const value = Buffer.alloc(RECORD_BYTES, 0x78);
  const messages = Array.from({ length: batchSize }, () => ({ value }));
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < records) {
      sent += batchSize;
      await producer.send({ topic, acks: -1, messages });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  return rate(sent, seconds);
}
