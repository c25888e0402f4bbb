import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32c, crc32cImplementation, crc32cPortable } from "../../../local/kafka/protocol/crc32c";
import { openLogStore } from "../../../local/kafka/storage";
import { baseOffsetOf, batchOf, encodeBatch, recordCountOf } from "../../integration/kafka/storage-fixtures";

const kafkajsCrc32c: (buf: Buffer) => number = createRequire(import.meta.url)(
  "kafkajs/src/protocol/recordBatch/crc32C",
);

describe("crc32c", () => {
  it("matches the Castagnoli check value", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
    expect(crc32cPortable(Buffer.from("123456789"))).toBe(0xe3069283);
  });

  it("uses the native implementation where its prebuilt binary exists (linux x64 here)", () => {
    if (process.platform === "linux" && process.arch === "x64") expect(crc32cImplementation).toBe("native");
    else expect(["native", "portable"]).toContain(crc32cImplementation);
  });

  it("agrees with kafkajs on any range of any buffer, aligned or not", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const buf = Buffer.from(bytes);
        const start = bytes.length === 0 ? 0 : a % bytes.length;
        const end = start + (bytes.length === 0 ? 0 : b % (bytes.length - start + 1));
        const expected = kafkajsCrc32c(buf.subarray(start, end)) >>> 0;
        expect(crc32c(buf, start, end)).toBe(expected);
        expect(crc32cPortable(buf, start, end)).toBe(expected);
      }),
    );
  });
});

describe("in-memory log store", () => {
  it("assigns offsets across batches and reads them back whole", async () => {
    const store = await openLogStore({});
    await store.createTopic("t", 2);
    const log = store.partition("t", 1);
    if (!log) throw new Error("partition missing");
    expect(await log.append(await batchOf("a", 3))).toBe(0n);
    expect(await log.append(await batchOf("b", 5))).toBe(3n);
    expect(await log.append(await batchOf("c", 1))).toBe(8n);
    expect(log.highWatermark).toBe(9n);
    expect(log.logStartOffset).toBe(0n);
    const all = log.read(0n, 1 << 20);
    expect(all.map(baseOffsetOf)).toEqual([0n, 3n, 8n]);
    expect(all.map(recordCountOf)).toEqual([3, 5, 1]);
    // From the middle of the second batch: that batch comes back whole.
    expect(log.read(5n, 1 << 20).map(baseOffsetOf)).toEqual([3n, 8n]);
    expect(log.read(9n, 1 << 20)).toEqual([]);
    // At least one batch even when maxBytes is tiny.
    expect(log.read(0n, 1).map(baseOffsetOf)).toEqual([0n]);
    expect([...log.batchesFrom(4n)].map(baseOffsetOf)).toEqual([3n, 8n]);
    expect(store.partition("t", 0)?.highWatermark).toBe(0n);
    await store.close();
  });

  it("rolls segments and applies byte retention to whole segments", async () => {
    const store = await openLogStore({ defaults: { segmentBytes: 1000 } });
    await store.createTopic("t", 1, { retentionBytes: 2500 });
    const log = store.partition("t", 0);
    if (!log) throw new Error("partition missing");
    const batches = await Promise.all(Array.from({ length: 20 }, (_, i) => batchOf(`r${i}`, 4)));
    for (const b of batches) await log.append(b);
    expect(log.highWatermark).toBe(80n);
    expect(log.read(0n, 1 << 20).length).toBe(20);
    await store.applyRetention(Date.now());
    expect(log.logStartOffset).toBeGreaterThan(0n);
    const kept = log.read(log.logStartOffset, 1 << 20);
    expect(baseOffsetOf(kept[0])).toBe(log.logStartOffset);
    expect(kept.reduce((n, b) => n + b.length, 0)).toBeLessThanOrEqual(2500);
    expect(baseOffsetOf(kept.at(-1) as Buffer)).toBe(76n);
    await store.close();
  });

  it("finds the first offset at or after a timestamp, inside a batch", async () => {
    const store = await openLogStore({});
    await store.createTopic("t", 1);
    const log = store.partition("t", 0);
    if (!log) throw new Error("partition missing");
    await log.append(await encodeBatch([0, 10, 20].map((d) => ({ value: `v${d}`, timestamp: 1000 + d }))));
    await log.append(
      await encodeBatch(
        [30, 40].map((d) => ({ value: `v${d}`, timestamp: 1000 + d })),
        { gzip: true },
      ),
    );
    expect(log.offsetForTimestamp(0n)).toBe(0n);
    expect(log.offsetForTimestamp(1011n)).toBe(2n);
    expect(log.offsetForTimestamp(1040n)).toBe(4n);
    expect(log.offsetForTimestamp(1041n)).toBeUndefined();
    await store.close();
  });

  it("rejects a batch whose CRC does not match and keeps topics and offsets", async () => {
    const store = await openLogStore({});
    await store.createTopic("t", 1);
    const bad = await batchOf("x", 2);
    bad[bad.length - 1] ^= 0xff;
    await expect(store.partition("t", 0)?.append(bad)).rejects.toThrow(/CRC/);
    expect(store.partition("t", 0)?.highWatermark).toBe(0n);
    await expect(store.createTopic("t", 1)).rejects.toThrow(/exists/);
    const racing = await Promise.allSettled([store.createTopic("u", 2), store.createTopic("u", 3)]);
    expect(racing.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(store.topic("u")?.partitions).toBe(2);
    await store.offsets.commit("g", "t", 0, 42n, "m");
    expect(store.offsets.fetch("g", "t", 0)).toEqual({ offset: 42n, metadata: "m" });
    expect(store.offsets.groups()).toEqual(["g"]);
    await store.deleteTopic("t");
    expect(store.topic("t")).toBeUndefined();
    expect(store.partition("t", 0)).toBeUndefined();
    expect(store.offsets.fetch("g", "t", 0)).toBeUndefined();
    await store.close();
  });
});
