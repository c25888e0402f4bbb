// Just enough of the magic-v2 record batch layout for storage: offsets, sizes,
// timestamps and integrity. Records are never rewritten, only the baseOffset.
import { gunzipSync } from "node:zlib";
import { crc32c } from "./crc32c";

/** baseOffset(8) + batchLength(4): batchLength counts the bytes after these 12. */
export const LOG_OVERHEAD = 12;
/** Fixed header up to and including the record count. */
export const BATCH_HEADER_BYTES = 61;
const MAGIC_AT = 16;
const CRC_AT = 17;
const ATTRIBUTES_AT = 21;
const LAST_OFFSET_DELTA_AT = 23;
const BASE_TIMESTAMP_AT = 27;
const MAX_TIMESTAMP_AT = 35;
const RECORD_COUNT_AT = 57;
const COMPRESSION_MASK = 0x07;
const GZIP = 1;
/** Upper bound for one batch; anything larger in a length field is corruption. */
export const MAX_BATCH_BYTES = 64 * 1024 * 1024;

export type BatchHeader = {
  baseOffset: bigint;
  /** Bytes of the whole batch including the 12-byte log overhead. */
  size: number;
  lastOffsetDelta: number;
  /** Newest timestamp in the batch (ms). */
  maxTimestamp: number;
};

/** Total size of the batch starting at `at`, or undefined if the header is not all there. */
export function batchSizeAt(buf: Buffer, at: number): number | undefined {
  if (at + LOG_OVERHEAD > buf.length) return undefined;
  return LOG_OVERHEAD + buf.readInt32BE(at + 8);
}

export function readBatchHeader(buf: Buffer, at = 0): BatchHeader {
  const baseTimestamp = Number(buf.readBigInt64BE(at + BASE_TIMESTAMP_AT));
  const maxTimestamp = Number(buf.readBigInt64BE(at + MAX_TIMESTAMP_AT));
  return {
    baseOffset: buf.readBigInt64BE(at),
    size: LOG_OVERHEAD + buf.readInt32BE(at + 8),
    lastOffsetDelta: buf.readInt32BE(at + LAST_OFFSET_DELTA_AT),
    maxTimestamp: Math.max(maxTimestamp, baseTimestamp),
  };
}

/**
 * Why a stored or incoming batch is unusable, or undefined when it is a sound v2 batch.
 * `checkCrc: false` is for a caller that has just verified the CRC itself.
 */
export function batchDefect(buf: Buffer, at: number, available: number, checkCrc = true): string | undefined {
  if (available < BATCH_HEADER_BYTES) return "truncated header";
  const size = LOG_OVERHEAD + buf.readInt32BE(at + 8);
  if (size < BATCH_HEADER_BYTES || size > MAX_BATCH_BYTES) return `insane batch length ${size}`;
  if (size > available) return "truncated batch";
  if (buf[at + MAGIC_AT] !== 2) return `unsupported magic ${buf[at + MAGIC_AT]}`;
  if (buf.readInt32BE(at + LAST_OFFSET_DELTA_AT) < 0) return "negative lastOffsetDelta";
  if (checkCrc && crc32c(buf, at + ATTRIBUTES_AT, at + size) !== buf.readUInt32BE(at + CRC_AT))
    return "CRC mismatch";
  return undefined;
}

/** The CRC starts at attributes, so the offset can change without touching it. */
export function setBaseOffset(buf: Buffer, baseOffset: bigint): void {
  buf.writeBigInt64BE(baseOffset, 0);
}

/**
 * Offset of the first record with timestamp >= target. Uncompressed and gzip batches are
 * decoded; other codecs answer with the batch's base offset (the client skips earlier records).
 */
export function firstOffsetAtOrAfter(batch: Buffer, target: number): bigint {
  const header = readBatchHeader(batch);
  const codec = batch.readInt16BE(ATTRIBUTES_AT) & COMPRESSION_MASK;
  let records: Buffer;
  if (codec === 0) records = batch.subarray(BATCH_HEADER_BYTES);
  else if (codec === GZIP) records = gunzipSync(batch.subarray(BATCH_HEADER_BYTES));
  else return header.baseOffset;
  const baseTimestamp = Number(batch.readBigInt64BE(BASE_TIMESTAMP_AT));
  const count = batch.readInt32BE(RECORD_COUNT_AT);
  const cursor = { at: 0 };
  for (let i = 0; i < count && cursor.at < records.length; i++) {
    const length = readVarint(records, cursor);
    const recordEnd = cursor.at + length;
    cursor.at += 1; // record attributes
    const timestampDelta = readVarint(records, cursor);
    const offsetDelta = readVarint(records, cursor);
    if (baseTimestamp + timestampDelta >= target) return header.baseOffset + BigInt(offsetDelta);
    cursor.at = recordEnd;
  }
  return header.baseOffset + BigInt(header.lastOffsetDelta);
}

/** Zig-zag varint; record fields used here fit in a double. */
function readVarint(buf: Buffer, cursor: { at: number }): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = buf[cursor.at++];
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) break;
    scale *= 128;
  }
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}
