// One segment: batches back to back in a log store, plus its sparse index. Offsets inside
// a segment are relative to its base offset, as in Kafka's own index files.
import type { ByteStore } from "./byte-store";
import { type BatchHeader, batchSizeAt, firstOffsetAtOrAfter, readBatchHeader } from "./record-batch";
import { INDEX_INTERVAL_BYTES, type IndexEntry, SparseIndex } from "./sparse-index";

export type SegmentFiles = { log: ByteStore; offsetIndex?: ByteStore; timeIndex?: ByteStore };

export type StoredBatch = { position: number; header: BatchHeader; bytes: Buffer };

const MIN_READ_CHUNK = 64 * 1024;

export class Segment {
  /** Offset after the last batch appended (durable or not). */
  nextOffset: bigint;
  /** Newest timestamp of any batch, -1 while empty. */
  maxTimestamp = -1;
  private bytesSinceIndex = 0;

  constructor(
    readonly baseOffset: bigint,
    private readonly files: SegmentFiles,
    private readonly index = new SparseIndex(),
  ) {
    this.nextOffset = baseOffset;
  }

  get size(): number {
    return this.files.log.size;
  }

  /** `batch` already carries its assigned baseOffset. */
  append(batch: Buffer, header: BatchHeader): Promise<void> {
    const entry = this.track(header, this.files.log.size);
    if (entry) {
      this.files.offsetIndex?.append(SparseIndex.encodeOffsetEntry(entry));
      this.files.timeIndex?.append(SparseIndex.encodeTimeEntry(entry));
    }
    return this.files.log.append(batch);
  }

  /**
   * Accounts for a batch stored at `position` and returns the index entry it starts, if any.
   * Recovery replays stored batches through here so a rebuilt index matches a live one.
   */
  track(header: BatchHeader, position: number): IndexEntry | undefined {
    let entry: IndexEntry | undefined;
    if (this.bytesSinceIndex >= INDEX_INTERVAL_BYTES) {
      entry = {
        relativeOffset: Number(header.baseOffset - this.baseOffset),
        position,
        maxTimestampBefore: this.maxTimestamp,
      };
      this.index.add(entry);
      this.bytesSinceIndex = 0;
    }
    this.bytesSinceIndex += header.size;
    this.nextOffset = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
    if (header.maxTimestamp > this.maxTimestamp) this.maxTimestamp = header.maxTimestamp;
    return entry;
  }

  /** Batches from the indexed position at or before `fromOffset` onwards, as stored. */
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
        // The next batch is larger than the chunk, or not written yet.
        const size = batchSizeAt(chunk, 0);
        if (size === undefined || size <= chunk.length) return;
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
      if (header.maxTimestamp >= timestampMs) return firstOffsetAtOrAfter(bytes, timestampMs);
    }
    return undefined;
  }

  private relative(offset: bigint): bigint {
    return offset > this.baseOffset ? offset - this.baseOffset : 0n;
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
