// Kafka broker benchmark: prints figures, never passes or fails.
// Run: npx tsx bench/kafka/index.ts
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { spawnBroker } from "../../local/kafka/process";
import { measureRawFsyncThroughput } from "./disk";
import { produceConsumeLatency } from "./latency";
import { kafkajsProduce, kcatProduce, type Throughput } from "./throughput";

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const line = (label: string, t: Throughput, disk: number) =>
  `${label.padEnd(26)} ${fmt(t.mbPerSec).padStart(7)} MB/s  ${fmt(t.recordsPerSec, 0).padStart(8)} records/s  ` +
  `(${t.records} × 1 KiB in ${fmt(t.seconds, 2)} s, ${fmt((t.mbPerSec / disk) * 100, 0)}% of raw disk)`;

async function createTopics(port: number, names: string[]) {
  const admin = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: names.map((topic) => ({ topic, numPartitions: 1 })) });
  await admin.disconnect();
}

async function latency(label: string, port: number) {
  const lat = await produceConsumeLatency(port, "bench.latency", 5000, 5);
  console.log(
    `${label.padEnd(29)} p50 ${fmt(lat.p50, 2)} ms  p99 ${fmt(lat.p99, 2)} ms  max ${fmt(lat.max, 2)} ms  ` +
      `(${lat.records} records at ${lat.rate}/s, kafkajs, acks=-1)`,
  );
}

const dir = await mkdtemp(join(tmpdir(), "payrail-kafka-bench-"));
// Figures mean little on a busy machine: say how busy it was.
console.log(
  `load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(" ")} on ${cpus().length} cores`,
);
try {
  const raw = await measureRawFsyncThroughput(dir, 256 * 1024 * 1024, 1024 * 1024);
  const disk = { mbPerSec: raw.megabytesPerSecond };
  console.log(
    `(a) raw append+fdatasync      ${fmt(disk.mbPerSec).padStart(7)} MB/s  (1 MiB writes, ${fmt(raw.fsyncsPerSecond, 0)} fsyncs/s, ${fmt(raw.seconds, 2)} s)`,
  );

  const broker = await spawnBroker(["--data-dir", join(dir, "data")]);
  try {
    await createTopics(broker.port, ["bench.kcat", "bench.kafkajs", "bench.latency"]);
    await kcatProduce(broker.port, "bench.kcat", 5_000); // warm-up
    const kcat = await kcatProduce(broker.port, "bench.kcat", 200_000);
    console.log(line("(b) kcat/librdkafka acks=all", kcat, disk.mbPerSec));
    const kjs = await kafkajsProduce(broker.port, "bench.kafkajs", 100_000);
    console.log(line("(b) kafkajs acks=-1", kjs, disk.mbPerSec));
    await latency("(c) produce→consume, fsync", broker.port);
  } finally {
    broker.child.kill("SIGTERM");
    await broker.exited;
  }
  // The same measurement without the disk: what the broker itself adds.
  const memory = await spawnBroker(["--memory"]);
  try {
    await createTopics(memory.port, ["bench.latency"]);
    await latency("(c) produce→consume, memory", memory.port);
  } finally {
    memory.child.kill("SIGTERM");
    await memory.exited;
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
