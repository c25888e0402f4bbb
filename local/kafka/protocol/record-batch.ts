// The magic-v2 record batch wire format: its layout and the one reader of its header, for the
// produce path (sequence checks, CRC) and for storage (offsets, sizes, timestamps, integrity). Records themselves are
// never parsed on the produce path nor rewritten; only the baseOffset changes.
import { gunzipSync } from "node:zlib";
import { crc32c } from "./crc32c";

/** baseOffset(8) + batchLength(4): batchLength counts the bytes after these 12. */
export const LOG_OVERHEAD = 12;
/** Fixed header up to and including the record count; the records follow. */
export const BATCH_HEADER_BYTES = 61;
const LEADER_EPOCH_AT = 12;
const MAGIC_AT = 16;
const CRC_AT = 17;
/** The CRC-32C covers the batch from here (attributes) to its end. */
export const CRC_FROM = 21;
const ATTRIBUTES_AT = CRC_FROM;
const LAST_OFFSET_DELTA_AT = 23;
const BASE_TIMESTAMP_AT = 27;
const MAX_TIMESTAMP_AT = 35;
const PRODUCER_ID_AT = 43;
const PRODUCER_EPOCH_AT = 51;
const BASE_SEQUENCE_AT = 53;
const RECORD_COUNT_AT = 57;
const COMPRESSION_MASK = 0x07;
const GZIP = 1;
/** Upper bound for one batch; anything larger in a length field is corruption. */
export const MAX_BATCH_BYTES = 64 * 1024 * 1024;

export type BatchHeader = {
  baseOffset: bigint;
  /** Bytes of the whole batch including the 12-byte log overhead (= batchLength + 12). */
  size: number;
  /** Bytes after the length field itself, as on the wire. */
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  /** Newest timestamp in the batch (ms): the larger of base and max timestamp. */
  newestTimestamp: number;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
};

/**
 * A batch's bytes: one buffer, or the slices of the socket chunks a produced batch arrived
 * in (written to the log as they are, never joined).
 */
export type BatchBytes = Buffer | readonly Buffer[];

export const byteLengthOf = (bytes: BatchBytes): number => {
  if (Buffer.isBuffer(bytes)) return bytes.length;
  let n = 0;
  for (const piece of bytes) n += piece.length;
  return n;
};

/** The first `n` bytes (fewer if the batch is shorter) in one buffer; a copy only when split. */
export function headOf(bytes: BatchBytes, n = BATCH_HEADER_BYTES): Buffer {
  if (Buffer.isBuffer(bytes)) return bytes.subarray(0, n);
  if (bytes.length > 0 && bytes[0].length >= n) return bytes[0].subarray(0, n);
  const parts: Buffer[] = [];
  let have = 0;
  for (const piece of bytes) {
    if (have >= n) break;
    const part = piece.subarray(0, n - have);
    parts.push(part);
    have += part.length;
  }
  return Buffer.concat(parts, have);
}

/** One buffer with all the bytes (a copy only when split). */
export const joinBytes = (bytes: BatchBytes): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : bytes.length === 1 ? bytes[0] : Buffer.concat(bytes);

/** CRC-32C of the bytes from `from` on, chained over the pieces without joining them. */
export function crc32cFrom(bytes: BatchBytes, from: number): number {
  if (Buffer.isBuffer(bytes)) return crc32c(bytes, from);
  let crc = 0;
  let skip = from;
  for (const piece of bytes) {
    if (skip >= piece.length) {
      skip -= piece.length;
      continue;
    }
    crc = crc32c(piece, skip, piece.length, crc);
    skip = 0;
  }
  return crc;
}

/** The header of a whole batch (one buffer or its pieces). */
export const parseBatchHeader = (batch: BatchBytes): BatchHeader => readBatchHeader(headOf(batch));

/** Total size of the batch starting at `at`, or undefined if the header is not all there. */
export function batchSizeAt(buf: Buffer, at: number): number | undefined {
  if (at + LOG_OVERHEAD > buf.length) return undefined;
  return LOG_OVERHEAD + buf.readInt32BE(at + 8);
}

/** The header of the batch at `at`; the caller makes sure BATCH_HEADER_BYTES are there. */
export function readBatchHeader(buf: Buffer, at = 0): BatchHeader {
  const batchLength = buf.readInt32BE(at + 8);
  const baseTimestamp = buf.readBigInt64BE(at + BASE_TIMESTAMP_AT);
  const maxTimestamp = buf.readBigInt64BE(at + MAX_TIMESTAMP_AT);
  return {
    baseOffset: buf.readBigInt64BE(at),
    size: LOG_OVERHEAD + batchLength,
    batchLength,
    partitionLeaderEpoch: buf.readInt32BE(at + LEADER_EPOCH_AT),
    magic: buf.readInt8(at + MAGIC_AT),
    crc: buf.readUInt32BE(at + CRC_AT),
    attributes: buf.readInt16BE(at + ATTRIBUTES_AT),
    lastOffsetDelta: buf.readInt32BE(at + LAST_OFFSET_DELTA_AT),
    baseTimestamp,
    maxTimestamp,
    newestTimestamp: Math.max(Number(maxTimestamp), Number(baseTimestamp)),
    producerId: buf.readBigInt64BE(at + PRODUCER_ID_AT),
    producerEpoch: buf.readInt16BE(at + PRODUCER_EPOCH_AT),
    baseSequence: buf.readInt32BE(at + BASE_SEQUENCE_AT),
    recordCount: buf.readInt32BE(at + RECORD_COUNT_AT),
  };
}

/**
 * Why a stored or incoming batch is unusable, or undefined when it is a sound v2 batch.
 * Only the header is read from `buf`; `available` says how many bytes the batch has there.
 * `checkCrc: false` is for a caller that has just verified the CRC itself (or will).
 */
export function batchDefect(buf: Buffer, at: number, available: number, checkCrc = true): string | undefined {
  if (available < BATCH_HEADER_BYTES) return "truncated header";
  const size = LOG_OVERHEAD + buf.readInt32BE(at + 8);
  if (size < BATCH_HEADER_BYTES || size > MAX_BATCH_BYTES) return `insane batch length ${size}`;
  if (size > available) return "truncated batch";
  if (buf[at + MAGIC_AT] !== 2) return `unsupported magic ${buf[at + MAGIC_AT]}`;
  if (buf.readInt32BE(at + LAST_OFFSET_DELTA_AT) < 0) return "negative lastOffsetDelta";
  if (checkCrc && crc32c(buf, at + CRC_FROM, at + size) !== buf.readUInt32BE(at + CRC_AT))
    return "CRC mismatch";
  return undefined;
}

/** The CRC starts at attributes, so the offset can change without touching it. */
export function setBaseOffset(bytes: BatchBytes, baseOffset: bigint): void {
  const pieces = Buffer.isBuffer(bytes) ? [bytes] : bytes;
  if (pieces[0].length >= 8) {
    pieces[0].writeBigInt64BE(baseOffset, 0);
    return;
  }
  // The 8 bytes straddle pieces: write them one piece at a time.
  const field = Buffer.alloc(8);
  field.writeBigInt64BE(baseOffset, 0);
  let done = 0;
  for (const piece of pieces) {
    if (done === 8) break;
    done += field.copy(piece, 0, done, Math.min(8, done + piece.length));
  }
}

/**
 * Offset of the first record with timestamp >= target. Uncompressed and gzip batches are
 * decoded; other codecs answer with the batch's base offset (the client skips earlier records).
 */
export function firstOffsetAtOrAfter(batch: Buffer, target: number): bigint {
  const header = readBatchHeader(batch);
  const codec = header.attributes & COMPRESSION_MASK;
  let records: Buffer;
  if (codec === 0) records = batch.subarray(BATCH_HEADER_BYTES);
  else if (codec === GZIP) records = gunzipSync(batch.subarray(BATCH_HEADER_BYTES));
  else return header.baseOffset;
  const baseTimestamp = Number(header.baseTimestamp);
  const count = header.recordCount;
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
