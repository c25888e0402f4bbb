import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32c } from "../../../local/kafka/protocol/crc32c";
import { MalformedFrameError, Reader } from "../../../local/kafka/protocol/reader";
import { Writer } from "../../../local/kafka/protocol/writer";

describe("wire primitives", () => {
  it("round-trips fixed-width integers, booleans and strings", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -128, max: 127 }),
        fc.integer({ min: -32768, max: 32767 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.option(fc.string()),
        fc.string(),
        (i8, i16, i32, i64, nullable, compact) => {
          const w = new Writer().int8(i8).int16(i16).int32(i32).int64(i64).boolean(true);
          w.nullableString(nullable).compactString(compact).compactNullableString(nullable);
          const r = new Reader(Buffer.from(w.toBuffer()));
          expect([r.int8(), r.int16(), r.int32(), r.int64(), r.boolean()]).toEqual([i8, i16, i32, i64, true]);
          expect([r.nullableString(), r.compactString(), r.compactNullableString()]).toEqual([
            nullable,
            compact,
            nullable,
          ]);
          expect(r.remaining).toBe(0);
        },
      ),
    );
  });

  it("encodes unsigned and zig-zag varints as the protocol guide shows", () => {
    expect([...new Writer().uvarint(300).toBuffer()]).toEqual([0xac, 0x02]);
    expect([...new Writer().varint(-1).toBuffer()]).toEqual([0x01]);
    expect([...new Writer().varint(1).toBuffer()]).toEqual([0x02]);
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (n) => {
        expect(new Reader(new Writer().varint(n).toBuffer()).varint()).toBe(n);
      }),
    );
    // varlong: -2 zig-zags to 3.
    expect(new Reader(Buffer.from([0x03])).varlong()).toBe(-2n);
  });

  it("round-trips arrays, nullable arrays, compact arrays and bytes", () => {
    const w = new Writer()
      .array([1, 2, 3], (w, v) => w.int32(v))
      .nullableArray(null, (w, v: number) => w.int32(v))
      .compactArray(["a", "b"], (w, v) => w.compactString(v))
      .bytes(Buffer.from("xyz"))
      .nullableBytes(null)
      .taggedFields();
    const r = new Reader(Buffer.from(w.toBuffer()));
    expect(r.array((r) => r.int32())).toEqual([1, 2, 3]);
    expect(r.nullableArray((r) => r.int32())).toBeNull();
    expect(r.compactArray((r) => r.compactString())).toEqual(["a", "b"]);
    expect(r.bytes().toString()).toBe("xyz");
    expect(r.nullableBytes()).toBeNull();
    r.taggedFields();
    expect(r.remaining).toBe(0);
  });

  it("skips unknown tagged fields", () => {
    const r = new Reader(Buffer.from([2, 0, 1, 0xaa, 5, 2, 0xbb, 0xcc, 0x7f]));
    r.taggedFields();
    expect(r.int8()).toBe(0x7f);
  });

  it("refuses truncated input and absurd counts instead of reading past the frame", () => {
    expect(() => new Reader(Buffer.from([0, 5, 0x61])).string()).toThrow(MalformedFrameError);
    expect(() => new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff])).array((r) => r.int8())).toThrow(
      MalformedFrameError,
    );
    expect(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).uvarint()).toThrow(
      MalformedFrameError,
    );
    expect(() => new Reader(Buffer.alloc(3)).int32()).toThrow(MalformedFrameError);
  });

  it("grows the writer buffer without losing earlier bytes", () => {
    const w = new Writer();
    for (let i = 0; i < 1000; i++) w.int64(BigInt(i));
    const r = new Reader(w.toBuffer());
    for (let i = 0; i < 1000; i++) expect(r.int64()).toBe(BigInt(i));
  });

  it("sends large record batches as they are and small ones copied, in order", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 9000 }), { maxLength: 6 }), fc.nat({ max: 600 }), (sizes, tail) => {
        const batches = sizes.map((n, i) => Buffer.alloc(n, i + 1));
        const w = new Writer().int32(0).string("head").records(batches);
        for (let i = 0; i < tail; i++) w.int8(i % 100);
        const parts = w.toBuffers();
        const expected = Buffer.concat([
          new Writer()
            .int32(0)
            .string("head")
            .int32(sizes.reduce((a, b) => a + b, 0))
            .toBuffer(),
          ...batches,
          Buffer.from(Array.from({ length: tail }, (_, i) => i % 100)),
        ]);
        expect(Buffer.concat(parts)).toEqual(expected);
        expect(w.toBuffer()).toEqual(expected);
        // Batches of 4 KiB or more are the very buffers passed in; nothing is empty.
        for (const b of batches.filter((b) => b.length >= 4096)) expect(parts).toContain(b);
        expect(parts.every((p, i) => p.length > 0 || (i === 0 && parts.length === 1))).toBe(true);
      }),
    );
  });

  it("computes CRC-32C (Castagnoli) check values", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.from("xx123456789"), 2)).toBe(0xe3069283);
  });
});
