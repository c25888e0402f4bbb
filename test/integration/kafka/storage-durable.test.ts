import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openLogStore } from "../../../local/kafka/storage";
import type { FlushPolicy, LogStore, PartitionLog } from "../../../local/kafka/storage/types";
import { baseOffsetOf, batchOf, encodeBatch, recordCountOf } from "./storage-fixtures";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "payrail-kafka-storage-"));
  dirs.push(dir);
  return dir;
}

function partitionOf(store: LogStore, topic: string, partition = 0): PartitionLog {
  const log = store.partition(topic, partition);
  if (!log) throw new Error(`no partition ${topic}-${partition}`);
  return log;
}

/** Appends `count` batches of 3 records each, concurrently (applied in call order). */
async function appendBatches(log: PartitionLog, tag: string, count: number, timestamp?: number) {
  const batches = await Promise.all(
    Array.from({ length: count }, (_, i) => batchOf(`${tag}${i}`, 3, timestamp)),
  );
  return Promise.all(batches.map((b) => log.append(b)));
}

const segmentFiles = async (dir: string) => (await readdir(dir)).filter((f) => f.endsWith(".log")).sort();

describe("durable log store", () => {
  // With a long interval, only closing the files (the rolled ones included) syncs them.
  const policies: FlushPolicy[] = [{ mode: "always" }, { mode: "interval", intervalMs: 60_000 }];
  it.each(policies)(
    "keeps offsets, data and the high watermark across segment rolls and a restart (flush $mode)",
    async (flush) => {
      const dataDir = await freshDir();
      const store = await openLogStore({ dataDir, defaults: { segmentBytes: 2000 }, flush });
      await store.createTopic("payments.initiated", 2);
      const log = partitionOf(store, "payments.initiated", 1);
      const offsets = await appendBatches(log, "x", 120);
      expect(offsets).toEqual(offsets.map((_, i) => BigInt(i * 3)));
      const before = log.read(0n, 1 << 30);
      await store.close();

      const files = await segmentFiles(join(dataDir, "payments.initiated-1"));
      expect(files.length).toBeGreaterThan(3);
      expect(files[0]).toBe("00000000000000000000.log");
      expect(JSON.parse(await readFile(join(dataDir, "topics.json"), "utf8"))).toMatchObject([
        { name: "payments.initiated", partitions: 2, config: { segmentBytes: 2000 } },
      ]);

      const reopened = await openLogStore({ dataDir });
      const again = partitionOf(reopened, "payments.initiated", 1);
      expect(again.highWatermark).toBe(360n);
      expect(again.logStartOffset).toBe(0n);
      expect(Buffer.concat(again.read(0n, 1 << 30))).toEqual(Buffer.concat(before));
      // From the middle of a batch deep inside a later segment: that batch first, whole.
      const middle = again.read(301n, 1000);
      expect(baseOffsetOf(middle[0])).toBe(300n);
      expect(recordCountOf(middle[0])).toBe(3);
      expect(middle.length).toBeGreaterThan(1);
      expect(middle.reduce((n, b) => n + b.length, 0)).toBeLessThanOrEqual(1000);
      expect(await again.append(await batchOf("after", 2))).toBe(360n);
      expect(partitionOf(reopened, "payments.initiated", 0).highWatermark).toBe(0n);
      await reopened.close();
    },
  );

  it("reads batches larger than one read chunk", async () => {
    const dataDir = await freshDir();
    const store = await openLogStore({ dataDir });
    await store.createTopic("big", 1);
    const log = partitionOf(store, "big");
    const big = await encodeBatch([{ value: "b".repeat(300_000), timestamp: 1 }]);
    const small = await batchOf("s", 1);
    await Promise.all([log.append(await batchOf("first", 1)), log.append(big), log.append(small)]);
    expect(log.read(1n, 1).map((b) => b.length)).toEqual([big.length]);
    expect(log.read(0n, 1 << 20).map(baseOffsetOf)).toEqual([0n, 1n, 2n]);
    await store.close();
    await rm(join(dataDir, ".clean-shutdown")); // recovery then verifies the big batch too
    const reopened = await openLogStore({ dataDir });
    expect(partitionOf(reopened, "big").highWatermark).toBe(3n);
    expect([...partitionOf(reopened, "big").batchesFrom(1n)].map((b) => b.length)).toEqual([
      big.length,
      small.length,
    ]);
    await reopened.close();
  });

  it("truncates a torn tail on open and continues appending after it", async () => {
    const dataDir = await freshDir();
    const store = await openLogStore({ dataDir });
    await store.createTopic("t", 1);
    await appendBatches(partitionOf(store, "t"), "ok", 10);
    await store.close();

    const logFile = join(dataDir, "t-0", "00000000000000000000.log");
    await truncate(logFile, (await stat(logFile)).size - 7);
    const reopened = await openLogStore({ dataDir });
    const log = partitionOf(reopened, "t");
    expect(log.highWatermark).toBe(27n);
    expect(log.read(0n, 1 << 20).length).toBe(9);
    expect(await log.append(await batchOf("new", 1))).toBe(27n);
    await reopened.close();

    const last = partitionOf(await openLogStore({ dataDir }), "t").read(27n, 1 << 20);
    expect(last.map(baseOffsetOf)).toEqual([27n]);
  });

  it("truncates from a batch whose CRC no longer matches", async () => {
    const dataDir = await freshDir();
    const store = await openLogStore({ dataDir });
    await store.createTopic("t", 1);
    const log = partitionOf(store, "t");
    await appendBatches(log, "ok", 6);
    const sizes = log.read(0n, 1 << 20).map((b) => b.length);
    await store.close();

    const logFile = join(dataDir, "t-0", "00000000000000000000.log");
    const bytes = await readFile(logFile);
    const fourthBatchAt = sizes.slice(0, 3).reduce((a, b) => a + b, 0);
    bytes[fourthBatchAt + sizes[3] - 2] ^= 0x55; // inside the last record's value
    await writeFile(logFile, bytes);

    const reopened = await openLogStore({ dataDir });
    expect(partitionOf(reopened, "t").highWatermark).toBe(9n);
    expect((await stat(logFile)).size).toBe(fourthBatchAt);
    await reopened.close();
  });

  it("after a crash verifies every batch, not only those after the last index entry", async () => {
    const dataDir = await freshDir();
    const store = await openLogStore({ dataDir });
    await store.createTopic("t", 1);
    const log = partitionOf(store, "t");
    await appendBatches(log, "v", 200);
    const sizes = log.read(0n, 1 << 30).map((b) => b.length);
    await store.close();
    const logFile = join(dataDir, "t-0", "00000000000000000000.log");
    expect((await stat(join(dataDir, "t-0", "00000000000000000000.index"))).size).toBeGreaterThan(8);
    // A hole of zeros early in the segment, as unsynced writes can leave after power loss.
    const holeAt = sizes.slice(0, 20).reduce((a, b) => a + b, 0);
    const bytes = await readFile(logFile);
    bytes.fill(0, holeAt + 30, holeAt + 60);
    await writeFile(logFile, bytes);
    await rm(join(dataDir, ".clean-shutdown"));

    const reopened = await openLogStore({ dataDir });
    expect(partitionOf(reopened, "t").highWatermark).toBe(60n);
    expect((await stat(logFile)).size).toBe(holeAt);
    await reopened.close();
  });

  it("rebuilds missing or stale index files", async () => {
    const dataDir = await freshDir();
    const store = await openLogStore({ dataDir, defaults: { segmentBytes: 15_000 } });
    await store.createTopic("t", 1);
    await appendBatches(partitionOf(store, "t"), "i", 300, 5_000);
    await store.close();
    const dir = join(dataDir, "t-0");
    const [first, second] = await segmentFiles(dir);
    const firstIndex = join(dir, first.replace(".log", ".index"));
    expect((await stat(firstIndex)).size).toBeGreaterThan(0);
    await rm(firstIndex);
    // A consistent-looking but stale entry: offset 9 is not at position 5.
    await writeFile(join(dir, second.replace(".log", ".index")), Buffer.from([0, 0, 0, 9, 0, 0, 0, 5]));
    await writeFile(
      join(dir, second.replace(".log", ".timeindex")),
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9]),
    );

    const reopened = await openLogStore({ dataDir });
    const log = partitionOf(reopened, "t");
    expect(log.highWatermark).toBe(900n);
    for (const offset of [0n, 4n, 401n, 599n, 899n]) {
      expect(baseOffsetOf(log.read(offset, 1)[0])).toBe(offset - (offset % 3n));
    }
    await reopened.close();
    expect((await stat(firstIndex)).size).toBeGreaterThan(0);
  });

  it("answers offsetForTimestamp from disk after a restart", async () => {
    const dataDir = await freshDir();
    const store = await openLogStore({ dataDir, defaults: { segmentBytes: 20_000 } });
    await store.createTopic("t", 1);
    const log = partitionOf(store, "t");
    const batches = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        encodeBatch([0, 1].map((d) => ({ value: `ts${i}-${d}`, timestamp: 10_000 + i * 10 + d }))),
      ),
    );
    await Promise.all(batches.map((b) => log.append(b)));
    await store.close();
    const reopened = await openLogStore({ dataDir });
    const again = partitionOf(reopened, "t");
    expect(again.offsetForTimestamp(0n)).toBe(0n);
    expect(again.offsetForTimestamp(10_001n)).toBe(1n);
    expect(again.offsetForTimestamp(11_501n)).toBe(301n);
    expect(again.offsetForTimestamp(11_502n)).toBe(302n);
    expect(again.offsetForTimestamp(11_991n)).toBe(399n);
    expect(again.offsetForTimestamp(11_992n)).toBeUndefined();
    await reopened.close();
  });

  it("deletes whole old segments by time and by size, never the active one", async () => {
    const dataDir = await freshDir();
    const store = await openLogStore({ dataDir, defaults: { segmentBytes: 3000 } });
    const day = 86_400_000;
    const now = 100 * day;
    await store.createTopic("by-time", 1, { retentionMs: day });
    const timed = partitionOf(store, "by-time");
    await appendBatches(timed, "old", 30, now - 3 * day);
    const firstFresh = (await appendBatches(timed, "new", 30, now - 1000))[0];
    const dir = join(dataDir, "by-time-0");
    const filesBefore = await segmentFiles(dir);
    await store.applyRetention(now);
    expect(timed.logStartOffset).toBeGreaterThan(0n);
    expect(timed.logStartOffset).toBeLessThanOrEqual(firstFresh);
    expect(baseOffsetOf(timed.read(0n, 1)[0])).toBe(timed.logStartOffset);
    const filesAfter = await segmentFiles(dir);
    expect(filesAfter[0]).toBe(`${timed.logStartOffset.toString().padStart(20, "0")}.log`);
    expect(filesAfter).toEqual(filesBefore.slice(filesBefore.length - filesAfter.length));
    await store.applyRetention(now + 10 * day);
    expect(await segmentFiles(dir)).toEqual([filesAfter.at(-1)]);
    expect(timed.highWatermark).toBe(180n);

    await store.createTopic("by-size", 1, { retentionBytes: 7000 });
    const sized = partitionOf(store, "by-size");
    await appendBatches(sized, "s", 100);
    await store.applyRetention(now);
    const kept = sized.read(sized.logStartOffset, 1 << 20);
    expect(kept.reduce((n, b) => n + b.length, 0)).toBeLessThanOrEqual(7000);
    expect(baseOffsetOf(kept[0])).toBe(sized.logStartOffset);
    expect(baseOffsetOf(kept.at(-1) as Buffer)).toBe(297n);
    await store.close();

    const reopened = await openLogStore({ dataDir });
    expect(partitionOf(reopened, "by-size").logStartOffset).toBe(sized.logStartOffset);
    expect(partitionOf(reopened, "by-time").logStartOffset).toBe(timed.logStartOffset);
    await reopened.close();
  });

  it("rolls a segment once its records span segmentMs, also after a restart", async () => {
    const dataDir = await freshDir();
    const store = await openLogStore({ dataDir });
    await store.createTopic("slow", 1, { segmentMs: 1000 });
    const log = partitionOf(store, "slow");
    // 5 KB values so segments get index entries and reopen takes the indexed path.
    const at = (timestamp: number) => encodeBatch([{ value: "v".repeat(5000), timestamp }]);
    for (const t of [0, 500, 900, 1500, 2000]) await log.append(await at(t));
    const dir = join(dataDir, "slow-0");
    expect(await segmentFiles(dir)).toEqual(["00000000000000000000.log", "00000000000000000003.log"]);
    await store.close();

    const reopened = await openLogStore({ dataDir });
    const again = partitionOf(reopened, "slow");
    await again.append(await at(2400));
    expect((await segmentFiles(dir)).length).toBe(2);
    await again.append(await at(2600));
    expect((await segmentFiles(dir)).at(-1)).toBe("00000000000000000006.log");
    await reopened.close();
  });

  it("fills config fields a catalog written before them lacks", async () => {
    const dataDir = await freshDir();
    const config = { retentionMs: 1000, retentionBytes: -1, segmentBytes: 4096 };
    await writeFile(
      join(dataDir, "topics.json"),
      JSON.stringify([{ name: "legacy", partitions: 1, config }]),
    );
    const store = await openLogStore({ dataDir });
    expect(store.topic("legacy")?.config).toEqual({ ...config, segmentMs: 7 * 86_400_000 });
    await store.close();
  });

  it("keeps committed offsets across reopen and ignores a torn journal line", async () => {
    const dataDir = await freshDir();
    const store = await openLogStore({ dataDir });
    await store.offsets.commit("risk", "payments.initiated", 0, 5n, null);
    await store.offsets.commit("risk", "payments.initiated", 0, 9n, "meta");
    await store.offsets.commit("audit", "payments.initiated", 3, 1n, null);
    await store.close();
    const journal = join(dataDir, "consumer-offsets.journal");
    await writeFile(journal, Buffer.concat([await readFile(journal), Buffer.from('1234abcd ["torn')]));

    const reopened = await openLogStore({ dataDir });
    expect(reopened.offsets.fetch("risk", "payments.initiated", 0)).toEqual({ offset: 9n, metadata: "meta" });
    expect(reopened.offsets.fetch("audit", "payments.initiated", 3)).toEqual({ offset: 1n, metadata: null });
    expect(reopened.offsets.fetch("audit", "payments.initiated", 0)).toBeUndefined();
    expect(reopened.offsets.groups().sort()).toEqual(["audit", "risk"]);
    // Compacted on open: one line per key.
    expect((await readFile(journal, "utf8")).trim().split("\n")).toHaveLength(2);
    await reopened.offsets.commit("risk", "payments.initiated", 0, 10n, null);
    // Deleting a topic drops its committed offsets, durably.
    await reopened.createTopic("gone", 1);
    await reopened.offsets.commit("risk", "gone", 0, 3n, null);
    await reopened.deleteTopic("gone");
    expect(reopened.offsets.fetch("risk", "gone", 0)).toBeUndefined();
    await reopened.close();
    const third = await openLogStore({ dataDir });
    expect(third.offsets.fetch("risk", "payments.initiated", 0)?.offset).toBe(10n);
    expect(third.offsets.fetch("risk", "gone", 0)).toBeUndefined();
    await third.close();
  });

  it("compacts the offsets journal while commits keep coming", async () => {
    const dataDir = await freshDir();
    const store = await openLogStore({ dataDir });
    const journal = join(dataDir, "consumer-offsets.journal");
    // ~56 bytes a line: 24,000 commits pass the 1 MiB compaction threshold once, mid-stream.
    for (let round = 0; round < 4; round++) {
      await Promise.all(
        Array.from({ length: 6000 }, (_, i) =>
          store.offsets.commit(`group-${i % 10}`, "payments.executed", i % 5, BigInt(round * 6000 + i), null),
        ),
      );
    }
    expect((await stat(journal)).size).toBeLessThan(1024 * 1024);
    await store.close();
    const reopened = await openLogStore({ dataDir });
    for (let i = 0; i < 10; i++) {
      // The last commit of key (group i, partition i % 5) is the largest i' ≡ i (mod 10) below 6000.
      expect(reopened.offsets.fetch(`group-${i}`, "payments.executed", i % 5)?.offset).toBe(
        BigInt(18_000 + 5990 + i),
      );
    }
    expect((await readFile(journal, "utf8")).trim().split("\n")).toHaveLength(10);
    await reopened.close();
  });

  it("shares fsyncs between concurrent appends and keeps per-partition order", async () => {
    const dataDir = await freshDir();
    const store = await openLogStore({ dataDir });
    await store.createTopic("t", 4);
    const batches = await Promise.all(Array.from({ length: 200 }, (_, i) => batchOf(`c${i}`, 2)));
    const acks = await Promise.all(batches.map((b, i) => partitionOf(store, "t", i % 4).append(b)));
    for (let p = 0; p < 4; p++) {
      const mine = acks.filter((_, i) => i % 4 === p);
      expect(mine).toEqual(mine.map((_, k) => BigInt(k * 2)));
      expect(partitionOf(store, "t", p).highWatermark).toBe(100n);
    }
    await store.deleteTopic("t");
    expect(store.topics()).toEqual([]);
    expect((await readdir(dataDir)).filter((f) => f.startsWith("t-"))).toEqual([]);
    await store.close();
  });

  it("recreates a topic empty even when a crash left its old files behind", async () => {
    const dataDir = await freshDir();
    const store = await openLogStore({ dataDir });
    await store.createTopic("again", 1);
    await appendBatches(partitionOf(store, "again"), "old", 5);
    await store.close();
    // As if the process died after topics.json dropped the topic but before the files went.
    await writeFile(join(dataDir, "topics.json"), "[]");

    const reopened = await openLogStore({ dataDir });
    expect(reopened.topics()).toEqual([]);
    await reopened.createTopic("again", 1);
    expect(partitionOf(reopened, "again").highWatermark).toBe(0n);
    expect(await partitionOf(reopened, "again").append(await batchOf("new", 1))).toBe(0n);
    await expect(reopened.createTopic("../escape", 1)).rejects.toThrow(/invalid topic name/);
    await reopened.close();
  });
});
