// Kafka broker benchmark: prints figures, never passes or fails.
// Run: npx tsx bench/kafka/index.ts
// Durable brokers with each flush policy ("always": fdatasync before every ack; "interval":
// ack after write(), fdatasync every second) and an in-memory one run side by side.
// The raw disk figure (a) is measured before the first broker run and again after each, with
// the same volume as a kcat run; each kcat figure is compared with the mean of the raw runs
// just before and just after it, since this machine's disk rate drifts by 2x within minutes,
// and, the strictest reading, with the highest raw run of the whole benchmark.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { type BrokerProcess, spawnBroker } from "../../local/kafka/process";
import { measureRawFsyncThroughput } from "./disk";
import { type Latency, produceConsumeLatencies, summarize } from "./latency";
import { kafkajsProduce, kcatProduce, RECORD_BYTES, type Throughput } from "./throughput";

const BROKERS = [
  { name: "always", args: ["--flush", "always"], durable: true },
  { name: "interval", args: ["--flush", "interval", "--flush-interval-ms", "1000"], durable: true },
  { name: "memory", args: ["--memory"], durable: false },
] as const;
type Mode = (typeof BROKERS)[number]["name"];

/** 500 MB: ~1-2 s per run, so kcat's start (~15 ms) and scheduling noise weigh little. */
const KCAT_RECORDS = 500_000;
/** The raw run writes what a kcat run writes, in 1 MiB appends each followed by fdatasync. */
const RAW_CHUNK = 1024 * 1024;
const RAW_BYTES = Math.ceil((KCAT_RECORDS * RECORD_BYTES) / RAW_CHUNK) * RAW_CHUNK;

const RATE = 5000;
/** (c) runs in rounds, one short run per broker each, so load from elsewhere hits all alike. */
const LATENCY_ROUNDS = 3;
const LATENCY_SECONDS = 3;

const fmt = (n: number, digits = 1) => n.toFixed(digits);
/** `disk`: the mean of the raw runs #`rawRun` and #`rawRun`+1, just before and after. */
const throughputLine = (label: string, t: Throughput, disk: number, rawRun: number) =>
  `${label.padEnd(34)} ${fmt(t.mbPerSec).padStart(7)} MB/s  ${fmt(t.recordsPerSec, 0).padStart(8)} records/s  ` +
  `(${t.records} × 1 KiB in ${fmt(t.seconds, 2)} s, ${fmt((t.mbPerSec / disk) * 100, 0)}% of raw disk ` +
  `${fmt(disk)} MB/s, mean of #${rawRun} and #${rawRun + 1})`;
const latencyLine = (label: string, l: Latency) =>
  `${label.padEnd(34)} p50 ${fmt(l.p50, 2)} ms  p99 ${fmt(l.p99, 2)} ms  max ${fmt(l.max, 2)} ms  ` +
  `(${l.records} records at ${l.rate}/s in ${LATENCY_ROUNDS} rounds, kafkajs, acks=-1)`;
const ratio = (a: number, b: number) => `${fmt(a / b, 2)}×`;

async function createTopics(port: number, names: string[]) {
  const admin = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: names.map((topic) => ({ topic, numPartitions: 1 })) });
  await admin.disconnect();
}

async function startAll(dir: string): Promise<Map<Mode, BrokerProcess>> {
  const running = new Map<Mode, BrokerProcess>();
  for (const { name, args, durable } of BROKERS) {
    const broker = await spawnBroker([...(durable ? ["--data-dir", join(dir, name)] : []), ...args]);
    running.set(name, broker);
    await createTopics(broker.port, ["bench.kcat", "bench.kafkajs", "bench.latency"]);
  }
  return running;
}

async function stopAll(running: Map<Mode, BrokerProcess>): Promise<void> {
  for (const broker of running.values()) broker.child.kill("SIGTERM");
  await Promise.all([...running.values()].map((b) => b.exited));
}

const dir = await mkdtemp(join(tmpdir(), "payrail-kafka-bench-"));
// Figures mean little on a busy machine: say how busy it was.
console.log(
  `load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(" ")} on ${cpus().length} cores`,
);
/** Every dirty page of earlier runs on disk first, so no run pays for another's writeback. */
const settle = () => execFileSync("sync");

const rawRuns: number[] = [];
async function rawDisk(): Promise<number> {
  settle();
  const raw = await measureRawFsyncThroughput(dir, RAW_BYTES, RAW_CHUNK);
  rawRuns.push(raw.megabytesPerSecond);
  console.log(
    `(a) raw append+fdatasync #${rawRuns.length}       ${fmt(raw.megabytesPerSecond).padStart(7)} MB/s  ` +
      `(${RAW_BYTES / RAW_CHUNK} × 1 MiB appends, fdatasync after each: ${fmt(raw.fsyncsPerSecond, 0)} fsyncs/s, ${fmt(raw.seconds, 2)} s)`,
  );
  return raw.megabytesPerSecond;
}

try {
  let rawBefore = await rawDisk();
  const running = await startAll(dir);
  try {
    const throughput = new Map<Mode, { kcat: Throughput; kafkajs: Throughput }>();
    for (const { name, durable } of BROKERS) {
      const port = running.get(name)?.port;
      if (!durable || port === undefined) continue; // memory says nothing about the disk
      await kcatProduce(port, "bench.kcat", 5_000); // warm-up
      settle();
      const kcat = await kcatProduce(port, "bench.kcat", KCAT_RECORDS);
      settle();
      const kafkajs = await kafkajsProduce(port, "bench.kafkajs", 100_000);
      throughput.set(name, { kcat, kafkajs });
      const rawAfter = await rawDisk();
      const disk = (rawBefore + rawAfter) / 2;
      const rawRun = rawRuns.length - 1;
      console.log(throughputLine(`(b) kcat acks=all, flush ${name}`, kcat, disk, rawRun));
      console.log(throughputLine(`(b) kafkajs acks=-1, flush ${name}`, kafkajs, disk, rawRun));
      rawBefore = rawAfter;
    }
    const highest = Math.max(...rawRuns);
    const against = [...throughput].map(
      ([name, t]) => `${name} ${fmt((t.kcat.mbPerSec / highest) * 100, 0)}%`,
    );
    console.log(
      `(a) raw disk over the run: ${rawRuns.map((r) => fmt(r, 0)).join(", ")} MB/s; ` +
        `kcat against the highest raw run (${fmt(highest, 0)} MB/s): ${against.join(", ")}`,
    );

    const samples = new Map<Mode, number[]>(BROKERS.map((b) => [b.name, []]));
    for (let round = 0; round < LATENCY_ROUNDS; round++) {
      for (const [name, broker] of running) {
        const got = await produceConsumeLatencies(broker.port, "bench.latency", RATE, LATENCY_SECONDS);
        samples.get(name)?.push(...got);
      }
    }
    const latency = new Map([...samples].map(([name, s]) => [name, summarize(s, RATE)]));
    for (const [name, l] of latency) console.log(latencyLine(`(c) produce→consume, ${name}`, l));

    const [always, interval] = [throughput.get("always"), throughput.get("interval")];
    const [lAlways, lInterval] = [latency.get("always"), latency.get("interval")];
    if (always && interval && lAlways && lInterval) {
      console.log(
        `interval / always: kcat throughput ${ratio(interval.kcat.recordsPerSec, always.kcat.recordsPerSec)}, ` +
          `kafkajs throughput ${ratio(interval.kafkajs.recordsPerSec, always.kafkajs.recordsPerSec)}, ` +
          `latency p50 ${ratio(lInterval.p50, lAlways.p50)}, p99 ${ratio(lInterval.p99, lAlways.p99)}`,
      );
    }
  } finally {
    await stopAll(running);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
