import { describe, expect, it } from "vitest";
import { ProducerIdAllocator } from "../../../local/kafka/idempotence/producer-ids";
import { ProducerStateTable } from "../../../local/kafka/idempotence/producer-state";
import { crc32c } from "../../../local/kafka/protocol/crc32c";
import { ErrorCode } from "../../../local/kafka/protocol/errors";
import type { BatchHeader } from "../../../local/kafka/protocol/record-batch";
import { openLogStore } from "../../../local/kafka/storage";

const batch = (producerId: bigint, baseSequence: number, records = 1, producerEpoch = 0): BatchHeader => ({
  baseOffset: 0n,
  size: 61,
  batchLength: 49,
  partitionLeaderEpoch: 0,
  magic: 2,
  crc: 0,
  attributes: 0,
  lastOffsetDelta: records - 1,
  baseTimestamp: 0n,
  maxTimestamp: 0n,
  newestTimestamp: 0,
  producerId,
  producerEpoch,
  baseSequence,
  recordCount: records,
});

describe("idempotent producer state", () => {
  it("answers a retried batch with the original offset and refuses gaps", async () => {
    const table = new ProducerStateTable();
    const accept = (h: BatchHeader, offset: bigint) => {
      expect(table.check("t", 0, h)).toEqual({ kind: "append" });
      table.record("t", 0, h, Promise.resolve(offset));
    };
    accept(batch(7n, 0, 3), 0n);
    accept(batch(7n, 3, 2), 3n);
    const dup = table.check("t", 0, batch(7n, 0, 3));
    expect(dup.kind).toBe("duplicate");
    expect(dup.kind === "duplicate" && (await dup.baseOffset)).toBe(0n);
    expect(table.check("t", 0, batch(7n, 9))).toEqual({
      kind: "reject",
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
    // Other partitions and producers are independent.
    expect(table.check("t", 1, batch(7n, 42))).toEqual({ kind: "append" });
    expect(table.check("t", 0, batch(-1n, -1))).toEqual({ kind: "append" });
    // A fenced (older) epoch is refused; a new epoch must restart at sequence 0.
    expect(table.check("t", 0, batch(7n, 5, 1, -1))).toMatchObject({
      errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
    });
    expect(table.check("t", 0, batch(7n, 5, 1, 1))).toMatchObject({
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
    expect(table.check("t", 0, batch(7n, 0, 1, 1))).toEqual({ kind: "append" });
  });

  it("remembers only the last five batches, and forgets a batch whose append failed", async () => {
    const table = new ProducerStateTable();
    for (let seq = 0; seq < 7; seq++) table.record("t", 0, batch(1n, seq), Promise.resolve(BigInt(seq)));
    expect(table.check("t", 0, batch(1n, 2)).kind).toBe("duplicate");
    expect(table.check("t", 0, batch(1n, 1))).toMatchObject({ kind: "reject" });
    const failed = Promise.reject(new Error("disk full"));
    table.record("t", 0, batch(1n, 7), failed);
    await failed.catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    expect(table.check("t", 0, batch(1n, 7))).toEqual({ kind: "append" });
  });

  it("rebuilds from stored batches so duplicates across a restart are still caught", async () => {
    const store = await openLogStore({});
    await store.createTopic("t", 1);
    // A v2 batch header with producer 5, sequences 0..1 and a valid CRC (records are not parsed).
    const raw = Buffer.alloc(61);
    raw.writeInt32BE(49, 8);
    raw.writeInt8(2, 16);
    raw.writeInt32BE(1, 23);
    raw.writeBigInt64BE(5n, 43);
    raw.writeInt32BE(0, 53);
    raw.writeInt32BE(2, 57);
    raw.writeUInt32BE(crc32c(raw, 21), 17);
    await store.partition("t", 0)?.append(raw);
    const table = new ProducerStateTable();
    expect(table.rebuild(store)).toBe(5n);
    expect(table.check("t", 0, batch(5n, 0, 2)).kind).toBe("duplicate");
    expect(table.check("t", 0, batch(5n, 2)).kind).toBe("append");
  });

  it("never hands out the same producer id twice, even across a restart", () => {
    const before = new ProducerIdAllocator();
    const issued = [before.next(1000), before.next(1000), before.next(1000)];
    expect(new Set(issued).size).toBe(3);
    const after = new ProducerIdAllocator(issued[2]);
    // Even with a clock that went backwards, ids keep rising above what the log holds.
    expect(after.next(999)).toBeGreaterThan(issued[2]);
  });
});
