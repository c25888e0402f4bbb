// A Produce request's RECORDS field cut into its v2 record batches, and the checks a produced
// batch must pass before it is appended. The batch layout and its one header reader are in
// record-batch.ts, shared with storage.
import {
  BATCH_HEADER_BYTES,
  type BatchBytes,
  type BatchHeader,
  byteLengthOf,
  CRC_FROM,
  crc32cFrom,
  headOf,
  LOG_OVERHEAD,
  readBatchHeader,
} from "./record-batch";

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

export type ProducedBatch = { batch: BatchBytes; header: BatchHeader };

/**
 * Splits a RECORDS field from a Produce request into CRC-verified v2 batches: views of the
 * request's bytes, never copies (a batch that arrived in several socket chunks stays in
 * pieces). Only each batch's fixed header is read; records are not parsed. Older message
 * formats and CRC mismatches are refused rather than converted.
 */
export function splitBatches(records: Buffer | readonly Buffer[]): ProducedBatch[] {
  const pieces = Buffer.isBuffer(records) ? [records] : records;
  const total = byteLengthOf(pieces);
  const out: ProducedBatch[] = [];
  // Cursor: byte `at` of the field is byte `inPiece` of pieces[piece].
  let piece = 0;
  let inPiece = 0;
  let at = 0;
  while (at < total) {
    if (total - at < BATCH_HEADER_BYTES) throw new InvalidBatchError("record batch truncated", 2);
    while (inPiece >= pieces[piece].length) {
      inPiece -= pieces[piece].length;
      piece++;
    }
    const current = pieces[piece];
    const contiguous = current.length - inPiece >= BATCH_HEADER_BYTES;
    const head = contiguous
      ? current.subarray(inPiece, inPiece + BATCH_HEADER_BYTES)
      : headOf([current.subarray(inPiece), ...pieces.slice(piece + 1)]);
    const magic = head.readInt8(16);
    if (magic !== 2) throw new InvalidBatchError(`message format v${magic} is not supported`, 43);
    const size = LOG_OVERHEAD + head.readInt32BE(8);
    if (size < BATCH_HEADER_BYTES || at + size > total) {
      throw new InvalidBatchError("record batch length out of range", 2);
    }
    let batch: BatchBytes;
    if (current.length - inPiece >= size) {
      batch = current.subarray(inPiece, inPiece + size);
      inPiece += size;
    } else {
      const parts = [current.subarray(inPiece)];
      let need = size - parts[0].length;
      while (need > 0) {
        const next = pieces[++piece];
        const n = Math.min(need, next.length);
        parts.push(n === next.length ? next : next.subarray(0, n));
        need -= n;
        inPiece = n;
      }
      batch = parts;
    }
    const header = readBatchHeader(head);
    if (crc32cFrom(batch, CRC_FROM) !== header.crc)
      throw new InvalidBatchError("record batch CRC mismatch", 2);
    if (header.recordCount < 0 || header.lastOffsetDelta < 0) {
      throw new InvalidBatchError("record batch counts out of range", 2);
    }
    out.push({ batch, header });
    at += size;
  }
  return out;
}
