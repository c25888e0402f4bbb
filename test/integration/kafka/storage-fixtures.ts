// Record batches encoded by kafkajs's own producer encoder, so storage tests use the
// bytes a real client sends (CRC-32C included).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { RecordBatch } = require("kafkajs/src/protocol/recordBatch/v0");
const Record = require("kafkajs/src/protocol/recordBatch/record/v0");
const { Types: Compression } = require("kafkajs/src/protocol/message/compression");

export type FixtureRecord = { value: string; timestamp: number; key?: string };

export async function encodeBatch(
  records: FixtureRecord[],
  options: { gzip?: boolean } = {},
): Promise<Buffer> {
  const first = records[0].timestamp;
  const encoded = await RecordBatch({
    compression: options.gzip ? Compression.GZIP : Compression.None,
    firstTimestamp: first,
    maxTimestamp: Math.max(...records.map((r) => r.timestamp)),
    lastOffsetDelta: records.length - 1,
    records: records.map((r, i) =>
      Record({
        offsetDelta: i,
        timestampDelta: r.timestamp - first,
        key: r.key === undefined ? null : Buffer.from(r.key),
        value: Buffer.from(r.value),
      }),
    ),
  });
  return encoded.buffer as Buffer;
}

/** A batch of `count` records with values `${prefix}-${i}`, all at `timestamp`. */
export function batchOf(prefix: string, count: number, timestamp = 1_700_000_000_000): Promise<Buffer> {
  return encodeBatch(Array.from({ length: count }, (_, i) => ({ value: `${prefix}-${i}`, timestamp })));
}

export const baseOffsetOf = (batch: Buffer): bigint => batch.readBigInt64BE(0);
export const recordCountOf = (batch: Buffer): number => batch.readInt32BE(23) + 1;
