// A frame arrives in socket chunks; the broker reads it in place (no joining copy of large
// fields): these check that cutting the bytes anywhere changes nothing that is decoded.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitBatches } from "../../../local/kafka/protocol/produced-batches";
import { MalformedFrameError, Reader } from "../../../local/kafka/protocol/reader";
import { byteLengthOf, joinBytes, setBaseOffset } from "../../../local/kafka/protocol/record-batch";
import { Writer } from "../../../local/kafka/protocol/writer";
import { FrameSplitter, joinFrame } from "../../../local/kafka/server/frames";
import { openLogStore } from "../../../local/kafka/storage";
import { batchOf } from "../../integration/kafka/storage-fixtures";

/** `buf` cut at the given (sorted, deduplicated) positions into fresh buffers. */
function cut(buf: Buffer, positions: number[]): Buffer[] {
  const at = [...new Set(positions.map((p) => p % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...at, buf.length]) {
    if (p > from) out.push(Buffer.from(buf.subarray(from, p)));
    from = Math.max(from, p);
  }
  return out;
}

const sameMemory = (a: Buffer, b: Buffer) => a.buffer === b.buffer;

describe("Reader over a frame in pieces", () => {
  it("decodes the same fields wherever the frame is cut", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.string(),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 0, max: 2 ** 28 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (i32, i64, text, bytes, n, positions) => {
          const w = new Writer().int32(i32).int64(i64).string(text).nullableBytes(Buffer.from(bytes));
          w.uvarint(n).int16(7).nullableBytes(Buffer.from(bytes)).int8(-1);
          const frame = w.toBuffer();
          const r = new Reader(cut(frame, positions));
          expect([r.int32(), r.int64(), r.string()]).toEqual([i32, i64, text]);
          expect(r.nullableBytes()).toEqual(Buffer.from(bytes));
          expect([r.uvarint(), r.int16()]).toEqual([n, 7]);
          const pieces = r.nullableBytesOrPieces();
          expect(pieces && joinBytes(pieces)).toEqual(Buffer.from(bytes));
          expect(r.int8()).toBe(-1);
          expect(r.remaining).toBe(0);
          expect(() => r.int8()).toThrow(MalformedFrameError);
        },
      ),
    );
  });

  it("hands a large field over as slices of the pieces, not a copy", () => {
    const payload = Buffer.alloc(100_000, 0x61);
    const frame = new Writer().int16(1).nullableBytes(payload).int8(9).toBuffer();
    const pieces = cut(frame, [3, 40_000, 70_000]);
    const r = new Reader(pieces);
    expect(r.int16()).toBe(1);
    const field = r.nullableBytesOrPieces();
    if (field === null || Buffer.isBuffer(field)) throw new Error("expected pieces");
    expect(field.map((p) => p.length)).toEqual([39_994, 30_000, 30_006]);
    expect(field.map((p, i) => sameMemory(p, pieces[i + 1]))).toEqual([true, true, true]);
    expect(joinBytes(field)).toEqual(payload);
    expect(r.int8()).toBe(9);
  });
});

describe("FrameSplitter", () => {
  it("returns every frame whole, however the stream is chunked", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 200 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (frames, positions) => {
          const stream = Buffer.concat(
            frames.map((f) => Buffer.concat([new Writer().int32(f.length).toBuffer(), Buffer.from(f)])),
          );
          const splitter = new FrameSplitter(1 << 20);
          const got = cut(stream, positions).flatMap((chunk) => splitter.push(chunk));
          expect(got.every((frame) => frame.every((piece) => piece.length > 0))).toBe(true);
          expect(got.map(joinFrame)).toEqual(frames.map((f) => Buffer.from(f)));
        },
      ),
    );
  });

  it("keeps a frame that spans chunks as slices of them", () => {
    const body = Buffer.alloc(200_000, 0x62);
    const stream = Buffer.concat([new Writer().int32(body.length).toBuffer(), body]);
    const chunks = cut(stream, [65_536, 131_072]);
    const splitter = new FrameSplitter(1 << 20);
    expect(splitter.push(chunks[0])).toEqual([]);
    expect(splitter.push(chunks[1])).toEqual([]);
    const [frame] = splitter.push(chunks[2]);
    expect(frame).toHaveLength(3);
    expect(frame.map((piece, i) => sameMemory(piece, chunks[i]))).toEqual([true, true, true]);
    expect(joinFrame(frame)).toEqual(body);
  });

  it("refuses a size outside the limits even when the prefix is split", () => {
    const splitter = new FrameSplitter(1000);
    expect(splitter.push(Buffer.from([0, 0]))).toEqual([]);
    expect(() => splitter.push(Buffer.from([0x10, 0]))).toThrow(MalformedFrameError);
  });
});

describe("produced batches in pieces", () => {
  it("split, verify and store exactly as the joined bytes do", async () => {
    const batches = [await batchOf("a", 3), await batchOf("b", 40), await batchOf("c", 1)];
    const records = Buffer.concat(batches);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 10 }), async (positions) => {
        const pieces = cut(records, positions);
        const split = splitBatches(pieces);
        expect(split.map((b) => joinBytes(b.batch))).toEqual(batches);
        expect(split.map((b) => b.header)).toEqual(splitBatches(records).map((b) => b.header));

        const dir = mkdtempSync(join(tmpdir(), "kafka-pieces-"));
        for (const dataDir of [undefined, dir]) {
          // Fresh copies: appending rewrites the base offset in place.
          const split = splitBatches(cut(records, positions));
          const store = await openLogStore({ dataDir, flush: { mode: "always" } });
          await store.createTopic("t", 1);
          const log = store.partition("t", 0);
          if (!log) throw new Error("partition missing");
          for (const { batch, header } of split) await log.append(batch, { crcVerified: true, header });
          const stored = log.read(0n, 1 << 20);
          expect(stored.map((b) => b.readBigInt64BE(0))).toEqual([0n, 3n, 43n]);
          expect(stored.map((b) => b.subarray(8))).toEqual(batches.map((b) => b.subarray(8)));
          await store.close();
        }
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 30 },
    );
  });

  it("refuses a batch whose CRC does not match, wherever it is cut", async () => {
    const batch = await batchOf("x", 5);
    const bad = Buffer.from(batch);
    bad[bad.length - 1] ^= 1;
    for (const at of [10, 30, 61, bad.length - 1]) {
      expect(() => splitBatches(cut(bad, [at]))).toThrow(/CRC/);
      expect(splitBatches(cut(batch, [at]))).toHaveLength(1);
    }
  });

  it("rewrites a base offset that straddles pieces", async () => {
    const batch = await batchOf("y", 2);
    for (let at = 1; at < 8; at++) {
      const pieces = cut(batch, [at, at + 3]);
      setBaseOffset(pieces, 0x0102030405060708n);
      expect(byteLengthOf(pieces)).toBe(batch.length);
      expect(joinBytes(pieces).readBigInt64BE(0)).toBe(0x0102030405060708n);
      expect(joinBytes(pieces).subarray(8)).toEqual(batch.subarray(8));
    }
  });
});
