// Drives one child-process broker with kcat only, for profiling the produce path.
// Run: npx tsx bench/kafka/profile.ts [records] [flush] [-- node flags for the broker...]
// e.g. npx tsx bench/kafka/profile.ts 500000 interval -- --cpu-prof --cpu-prof-dir=/tmp/kprof
// THREADS=1 also prints the broker's CPU per thread (and its minor page faults).
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Kafka, logLevel } from "kafkajs";
import { processCpuSeconds, statFields } from "../proc";
import { kcatProduce } from "./throughput";

/** [user, system] CPU ticks so far per thread name (threads of one name summed), plus minflt. */
function threadTicks(pid: number | undefined): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const path = `/proc/${pid}/task/${tid}/stat`;
    const stat = readFileSync(path, "utf8");
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const f = statFields(path);
    const prev = out.get(name) ?? [0, 0];
    out.set(name, [prev[0] + Number(f[11]), prev[1] + Number(f[12])]);
    if (tid === String(pid)) out.set("minflt", [Number(f[7]), 0]);
  }
  return out;
}

/** [busy, total] CPU ticks of the whole machine so far (Linux /proc/stat). */
function machineTicks(): [number, number] {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return [total - ticks[3] - ticks[4], total]; // idle, iowait
}

const args = process.argv.slice(2);
const dash = args.indexOf("--");
const [recordsArg = "500000", flush = "interval"] = dash >= 0 ? args.slice(0, dash) : args;
const nodeFlags = dash >= 0 ? args.slice(dash + 1) : [];
const CLI = new URL("../../bin/payrail-kafka", import.meta.url).pathname;

const dir = await mkdtemp(join(tmpdir(), "payrail-kafka-profile-"));
const brokerArgs = flush === "memory" ? ["--memory"] : ["--data-dir", dir, "--flush", flush];
const child = spawn(process.execPath, [...nodeFlags, CLI, "--port", "0", ...brokerArgs], {
  stdio: ["ignore", "pipe", "inherit"],
});
const exited = new Promise((resolve) => child.once("exit", resolve));
const port = await new Promise<number>((resolve) => {
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
    if (!line.startsWith("{")) process.stderr.write(`${line}\n`); // e.g. --trace-gc
    const listening = line.startsWith("{")
      ? (JSON.parse(line) as { listening?: string }).listening
      : undefined;
    if (listening) resolve(Number(listening.slice(listening.lastIndexOf(":") + 1)));
  });
});
try {
  const admin = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: "profile", numPartitions: 1 }] });
  await admin.disconnect();
  await kcatProduce(port, "profile", 5_000);
  const cpuBefore = processCpuSeconds(child.pid);
  const ticksBefore = machineTicks();
  const threadsBefore = threadTicks(child.pid);
  const t = await kcatProduce(port, "profile", Number(recordsArg));
  const cpu = processCpuSeconds(child.pid) - cpuBefore;
  const ticksAfter = machineTicks();
  const threads = [...threadTicks(child.pid)].map(([name, [u, s]]) => {
    const [u0, s0] = threadsBefore.get(name) ?? [0, 0];
    return `${name} user ${((u - u0) / 100).toFixed(2)} sys ${((s - s0) / 100).toFixed(2)}`;
  });
  const machineBusy = (ticksAfter[0] - ticksBefore[0]) / (ticksAfter[1] - ticksBefore[1]);
  console.log(
    `kcat ${flush}: ${t.mbPerSec.toFixed(1)} MB/s, ${t.recordsPerSec.toFixed(0)} records/s (${t.records} in ${t.seconds.toFixed(2)} s); ` +
      `broker CPU ${cpu.toFixed(2)} s (${((cpu / t.seconds) * 100).toFixed(0)}% of a core, ${((cpu * 1e9) / t.bytes).toFixed(2)} ns/byte); machine ${(machineBusy * 100).toFixed(0)}% busy`,
  );
  if (process.env.THREADS) console.log(threads.join("\n"));
} finally {
  child.kill("SIGTERM");
  await exited;
  await rm(dir, { recursive: true, force: true });
}
