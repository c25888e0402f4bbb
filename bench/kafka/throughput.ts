import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

/**
 * A file of `records` lines of 1 KiB (1023 × "x" + newline), written once and reused: kcat
 * reads it as its stdin straight from the file, so no process of the benchmark spends CPU
 * piping the input while the broker and kcat share the machine's cores.
 */
function kcatInput(records: number): string {
  const dir = join(tmpdir(), "payrail-kafka-bench-input");
  const path = join(dir, `${records}x${RECORD_BYTES}.txt`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const block = Buffer.from(`${"x".repeat(RECORD_BYTES - 1)}\n`.repeat(1024));
  const fd = openSync(`${path}.tmp`, "w");
  try {
    for (let left = records; left > 0; left -= 1024) {
      writeSync(fd, block, 0, Math.min(left, 1024) * RECORD_BYTES);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(`${path}.tmp`, path);
  return path;
}

/**
 * librdkafka via kcat: 1 KiB lines from stdin, acks=all, linger 5 ms. Timed from spawning
 * kcat to its exit, which comes after the last acknowledgement (so it includes kcat's start,
 * a few tens of ms: use enough records that this does not matter).
 */
export async function kcatProduce(port: number, topic: string, records: number): Promise<Throughput> {
  const input = openSync(kcatInput(records), "r");
  const started = performance.now();
  try {
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
        { stdio: [input, "ignore", "inherit"] },
      );
      child.on("exit", resolve);
    });
    if (code !== 0) throw new Error(`kcat exited with ${code}`);
  } finally {
    closeSync(input);
  }
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
