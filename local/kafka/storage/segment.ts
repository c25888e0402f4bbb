// One segment: batches back to back in a log store, plus its sparse index. Offsets inside
// a segment are relative to its base offset, as in Kafka's own index files.

import {
  BATCH_HEADER_BYTES,
  type BatchBytes,
  type BatchHeader,
  batchDefect,
  batchSizeAt,
  firstOffsetAtOrAfter,
  MAX_BATCH_BYTES,
  readBatchHeader,
} from "../protocol/record-batch";
import type { ByteStore } from "./byte-store";
import { INDEX_INTERVAL_BYTES, SparseIndex } from "./sparse-index";

export type SegmentFiles = { log: ByteStore; offsetIndex?: ByteStore; timeIndex?: ByteStore };

export type StoredBatch = { position: number; header: BatchHeader; bytes: Buffer };

const MIN_READ_CHUNK = 64 * 1024;
const RECOVERY_CHUNK = 1024 * 1024;

export class Segment {
  /** Offset after the last batch appended (durable or not). */
  nextOffset: bigint;
  /** Newest timestamp of any batch, -1 while empty. */
  maxTimestamp = -1;
  /** Newest timestamp of the first batch: the segment's age is measured from it. */
  firstBatchTimestamp = -1;
  private bytesSinceIndex = 0;

  /**
   * `index` may come from disk (recovery then replays the batches after its last entry);
   * `persistedEntries` says how many of its entries the index files already hold.
   */
  constructor(
    readonly baseOffset: bigint,
    private readonly files: SegmentFiles,
    private readonly index = new SparseIndex(),
    private persistedEntries = index.length,
  ) {
    const last = index.last();
    this.nextOffset = baseOffset + BigInt(last?.relativeOffset ?? 0);
    if (last) {
      this.maxTimestamp = last.maxTimestampBefore;
      this.firstBatchTimestamp = readBatchHeader(files.log.read(0, BATCH_HEADER_BYTES)).newestTimestamp;
    }
  }

  get size(): number {
    return this.files.log.size;
  }

  /** `batch` already carries its assigned baseOffset. */
  append(batch: BatchBytes, header: BatchHeader): Promise<void> {
    this.track(header, this.files.log.size);
    this.persistIndex();
    return this.files.log.append(batch);
  }

  /**
   * Accounts for a batch stored at `position`, adding an index entry when due. Recovery
   * replays stored batches through here so a rebuilt index matches a live one.
   */
  private track(header: BatchHeader, position: number): void {
    if (this.bytesSinceIndex >= INDEX_INTERVAL_BYTES) {
      const relativeOffset = Number(header.baseOffset - this.baseOffset);
      this.index.add({ relativeOffset, position, maxTimestampBefore: this.maxTimestamp });
      this.bytesSinceIndex = 0;
    }
    if (position === 0) this.firstBatchTimestamp = header.newestTimestamp;
    this.bytesSinceIndex += header.size;
    this.nextOffset = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
    if (header.newestTimestamp > this.maxTimestamp) this.maxTimestamp = header.newestTimestamp;
  }

  /** Index entries go out with the log writes but unsynced: recovery can rebuild them. */
  private persistIndex(): void {
    const { offsetIndex, timeIndex } = this.files;
    if (!offsetIndex || !timeIndex || this.persistedEntries === this.index.length) return;
    const entries = this.index.entriesFrom(this.persistedEntries);
    void offsetIndex.append(Buffer.concat(entries.map(SparseIndex.encodeOffsetEntry)));
    void timeIndex.append(Buffer.concat(entries.map(SparseIndex.encodeTimeEntry)));
    this.persistedEntries = this.index.length;
  }

  /**
   * Validates every batch after the last index entry (length, magic, CRC-32C, offsets that
   * follow on), cuts the log at the first bad one and brings the index up to date.
   * Returns whether anything was cut.
   */
  recoverTail(): boolean {
    const log = this.files.log;
    let position = this.index.last()?.position ?? 0;
    let want = RECOVERY_CHUNK;
    while (position < log.size) {
      const chunk = log.read(position, want);
      let at = 0;
      while (at < chunk.length && batchDefect(chunk, at, chunk.length - at) === undefined) {
        const header = readBatchHeader(chunk, at);
        if (header.baseOffset !== this.nextOffset) break;
        this.track(header, position + at);
        at += header.size;
      }
      if (at > 0) {
        position += at;
        want = RECOVERY_CHUNK;
        continue;
      }
      // A batch bigger than the chunk needs a bigger read; anything else is the torn end.
      const size = batchSizeAt(chunk, 0);
      const bigger = size !== undefined && size > chunk.length && size <= MAX_BATCH_BYTES;
      if (!bigger || position + size > log.size) break;
      want = size;
    }
    const torn = position < log.size;
    if (torn) log.truncate(position);
    this.persistIndex();
    return torn;
  }

  /** Stored batches from `fromPosition` (a batch boundary) on, read in chunks. */
  *scan(fromPosition: number, chunkBytes = MIN_READ_CHUNK): Generator<StoredBatch> {
    let position = fromPosition;
    let want = Math.max(chunkBytes, MIN_READ_CHUNK);
    while (position < this.files.log.size) {
      const chunk = this.files.log.read(position, want);
      let at = 0;
      for (;;) {
        const size = batchSizeAt(chunk, at);
        if (size === undefined || at + size > chunk.length) break;
        yield {
          position: position + at,
          header: readBatchHeader(chunk, at),
          bytes: chunk.subarray(at, at + size),
        };
        at += size;
      }
      if (at === 0) {
        // Only a batch larger than a full chunk needs a bigger read; a short chunk is the end
        // of what has been written.
        const size = batchSizeAt(chunk, 0);
        if (size === undefined || size <= chunk.length || chunk.length < want) return;
        want = size;
        continue;
      }
      position += at;
    }
  }

  /** Stored batches holding offsets >= `fromOffset` and below `endOffset`. */
  *batches(fromOffset: bigint, endOffset: bigint, chunkBytes?: number): Generator<Buffer> {
    const start = this.index.positionForOffset(Number(this.relative(fromOffset)));
    for (const { header, bytes } of this.scan(start, chunkBytes)) {
      if (header.baseOffset >= endOffset) return;
      if (header.baseOffset + BigInt(header.lastOffsetDelta) >= fromOffset) yield bytes;
    }
  }

  offsetForTimestamp(timestampMs: number, endOffset: bigint): bigint | undefined {
    if (this.maxTimestamp < timestampMs) return undefined;
    for (const { header, bytes } of this.scan(this.index.positionForTimestamp(timestampMs))) {
      if (header.baseOffset >= endOffset) return undefined;
      if (header.newestTimestamp >= timestampMs) return firstOffsetAtOrAfter(bytes, timestampMs);
    }
    return undefined;
  }

  private relative(offset: bigint): bigint {
    return offset > this.baseOffset ? offset - this.baseOffset : 0n;
  }

  /** Once a segment is no longer active its index only changes in memory: free the files. */
  sealIndexFiles(): Promise<unknown> {
    const { offsetIndex, timeIndex } = this.files;
    return Promise.all([offsetIndex?.close(), timeIndex?.close()]);
  }

  close(): Promise<unknown> {
    return Promise.all(this.storesOf().map((s) => s.close()));
  }

  remove(): Promise<unknown> {
    return Promise.all(this.storesOf().map((s) => s.remove()));
  }

  private storesOf(): ByteStore[] {
    const { log, offsetIndex, timeIndex } = this.files;
    return [log, offsetIndex, timeIndex].filter((s): s is ByteStore => s !== undefined);
  }
}
