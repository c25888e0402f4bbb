import { crc32c } from "../storage/crc32c";

/** Fixed-size header of a magic v2 record batch; records follow at RECORDS_OFFSET. */
export type RecordBatchHeader = {
  baseOffset: bigint;
  /** Bytes after the length field itself. */
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
};

export const BATCH_OVERHEAD = 12; // baseOffset + batchLength
export const RECORDS_OFFSET = 61;
const CRC_OFFSET = 17;
const ATTRIBUTES_OFFSET = 21;

export const COMPRESSION_CODECS = ["none", "gzip", "snappy", "lz4", "zstd"] as const;

export class InvalidBatchError extends Error {
  override name = "InvalidBatchError";
  constructor(
    message: string,
    /** Kafka error code to answer with. */
    readonly code: number,
  ) {
    super(message);
  }
}

export function parseBatchHeader(batch: Buffer): RecordBatchHeader {
  return {
    baseOffset: batch.readBigInt64BE(0),
    batchLength: batch.readInt32BE(8),
    partitionLeaderEpoch: batch.readInt32BE(12),
    magic: batch.readInt8(16),
    crc: batch.readUInt32BE(CRC_OFFSET),
    attributes: batch.readInt16BE(ATTRIBUTES_OFFSET),
    lastOffsetDelta: batch.readInt32BE(23),
    baseTimestamp: batch.readBigInt64BE(27),
    maxTimestamp: batch.readBigInt64BE(35),
    producerId: batch.readBigInt64BE(43),
    producerEpoch: batch.readInt16BE(51),
    baseSequence: batch.readInt32BE(53),
    recordCount: batch.readInt32BE(57),
  };
}

export const compressionOf = (h: RecordBatchHeader) => COMPRESSION_CODECS[h.attributes & 0x7] ?? "unknown";
export const isTransactional = (h: RecordBatchHeader) => (h.attributes & 0x10) !== 0;
export const isControl = (h: RecordBatchHeader) => (h.attributes & 0x20) !== 0;

/**
 * Splits a RECORDS field from a Produce request into verified v2 batches (views, not copies).
 * Older message formats and CRC mismatches are refused rather than converted.
 */
export function splitBatches(records: Buffer): { batch: Buffer; header: RecordBatchHeader }[] {
  const out: { batch: Buffer; header: RecordBatchHeader }[] = [];
  let at = 0;
  while (at < records.length) {
    if (records.length - at < RECORDS_OFFSET) throw new InvalidBatchError("record batch truncated", 2);
    const magic = records.readInt8(at + 16);
    if (magic !== 2) throw new InvalidBatchError(`message format v${magic} is not supported`, 43);
    const size = BATCH_OVERHEAD + records.readInt32BE(at + 8);
    if (size < RECORDS_OFFSET || at + size > records.length) {
      throw new InvalidBatchError("record batch length out of range", 2);
    }
    const batch = records.subarray(at, at + size);
    const header = parseBatchHeader(batch);
    if (crc32c(batch, ATTRIBUTES_OFFSET) !== header.crc)
      throw new InvalidBatchError("record batch CRC mismatch", 2);
    if (header.recordCount < 0 || header.lastOffsetDelta < 0) {
      throw new InvalidBatchError("record batch counts out of range", 2);
    }
    out.push({ batch, header });
    at += size;
  }
  return out;
}
