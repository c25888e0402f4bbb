import { type ChildProcess, fork } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openLogStore } from "../../../local/kafka/storage";
import { baseOffsetOf } from "./storage-fixtures";

const CHILD = join(import.meta.dirname, "storage-crash-child.ts");
const ACKS_BEFORE_KILL = 400;
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

type Acks = { appends: { partition: number; seq: number; offset: bigint }[]; lastCommit: bigint | undefined };

/** Runs the child until it has acknowledged ACKS_BEFORE_KILL appends, then SIGKILLs it. */
function runAndKill(dir: string, flush: string): Promise<Acks> {
  const acks: Acks = { appends: [], lastCommit: undefined };
  const child = fork(CHILD, [dir, flush], { execArgv: ["--import", "tsx"], silent: true });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`child acknowledged only ${acks.appends.length} appends in time`));
    }, 20_000);
    let pending = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const [a, b, c] = line.split(" ");
        if (a === "c") acks.lastCommit = BigInt(b);
        else if (c !== undefined)
          acks.appends.push({ partition: Number(a), seq: Number(b), offset: BigInt(c) });
      }
      if (acks.appends.length >= ACKS_BEFORE_KILL && child.exitCode === null) child.kill("SIGKILL");
    });
    child.on("exit", (_code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") resolve(acks);
      else reject(new Error(`child exited on its own (${_code})`));
    });
  });
}

describe("durable log store under kill -9", () => {
  // "interval" acknowledges after write() and fdatasyncs every 50 ms in the background.
  it.each(["always", "interval"])(
    "keeps every acknowledged append, in order, across two crashes (flush %s)",
    async (flush) => {
      const dataDir = await mkdtemp(join(tmpdir(), "payrail-kafka-crash-"));
      dirs.push(dataDir);
      for (let round = 0; round < 2; round++) {
        const acks = await runAndKill(dataDir, flush);
        expect(acks.appends.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);

        const store = await openLogStore({ dataDir });
        for (let p = 0; p < 3; p++) {
          const log = store.partition("crash", p);
          if (!log) throw new Error("topic lost");
          const batches = [...log.batchesFrom(0n)];
          // Whole batches only, offsets contiguous (2 records each), seqs a gap-free prefix.
          expect(batches.map(baseOffsetOf)).toEqual(batches.map((_, i) => BigInt(i * 2)));
          expect(log.highWatermark).toBe(BigInt(batches.length * 2));
          batches.forEach((batch, seq) => {
            expect(batch.includes(`p${p}-n${seq}-0`)).toBe(true);
          });
          for (const ack of acks.appends.filter((a) => a.partition === p)) {
            expect(ack.offset).toBe(BigInt(ack.seq * 2));
            expect(ack.seq).toBeLessThan(batches.length);
          }
        }
        const committed = store.offsets.fetch("g", "crash", 0);
        if (acks.lastCommit !== undefined) expect(committed?.offset).toBeGreaterThanOrEqual(acks.lastCommit);
        await store.close();
      }
    },
    60_000,
  );
});
