// One partition: an ordered list of segments, the last one active. Offsets are assigned in
// call order; the high watermark moves only once a batch is durable, so readers never see
// a record that a crash could still take back.

import {
  type BatchBytes,
  type BatchHeader,
  batchDefect,
  byteLengthOf,
  CRC_FROM,
  crc32cFrom,
  headOf,
  readBatchHeader,
  setBaseOffset,
} from "../protocol/record-batch";
import type { Segment } from "./segment";
import { DEFAULT_TOPIC_CONFIG } from "./topic-config";
import type { PartitionLog, TopicConfig } from "./types";

/** Creates the next active segment starting at the given offset. */
export type SegmentFactory = (baseOffset: bigint) => Segment;

/** Relative offsets are int32 in the index files. */
const MAX_RELATIVE_OFFSET = 2n ** 31n - 1n;
const MAX_READ_CHUNK = 4 * 1024 * 1024;

export class SegmentedPartitionLog implements PartitionLog {
  highWatermark: bigint;
  private nextOffset: bigint;
  /** Settles after the latest append: each append waits for all before it to be durable. */
  private appended: Promise<void> = Promise.resolve();

  constructor(
    private readonly segments: Segment[],
    private readonly config: () => TopicConfig,
    private readonly newSegment: SegmentFactory,
  ) {
    if (segments.length === 0) throw new Error("a partition needs at least one segment");
    this.nextOffset = this.active.nextOffset;
    this.highWatermark = this.nextOffset;
  }

  get logStartOffset(): bigint {
    return this.segments[0].baseOffset;
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  async append(
    batch: BatchBytes,
    options: { crcVerified?: boolean; header?: BatchHeader } = {},
  ): Promise<bigint> {
    const length = byteLengthOf(batch);
    const head = headOf(batch);
    let defect = batchDefect(head, 0, length, false);
    if (defect === undefined && head.readInt32BE(8) + 12 !== length) defect = "length does not match";
    if (defect === undefined && !options.crcVerified && crc32cFrom(batch, CRC_FROM) !== head.readUInt32BE(17))
      defect = "CRC mismatch";
    if (defect !== undefined) throw new Error(`invalid record batch: ${defect}`);
    const baseOffset = this.nextOffset;
    setBaseOffset(batch, baseOffset);
    const header = { ...(options.header ?? readBatchHeader(head)), baseOffset };
    const end = baseOffset + BigInt(header.lastOffsetDelta) + 1n;
    this.rollIfDue(header, end);
    this.nextOffset = end;
    // Batches may sit in different segment files; one failing must not let a later one
    // become visible past it, so a failure fails every append queued behind it.
    const durable = this.active.append(batch, header);
    this.appended = this.appended.then(() => durable);
    await this.appended;
    this.highWatermark = end;
    return baseOffset;
  }

  /** Rolls when the batch would not fit, when the segment is old enough, or on offset overflow. */
  private rollIfDue(incoming: BatchHeader, end: bigint): void {
    const active = this.active;
    if (active.size === 0) return;
    const { segmentBytes, segmentMs = DEFAULT_TOPIC_CONFIG.segmentMs } = this.config();
    const full = active.size + incoming.size > segmentBytes;
    const old = incoming.newestTimestamp - active.firstBatchTimestamp > segmentMs;
    if (!full && !old && end - active.baseOffset <= MAX_RELATIVE_OFFSET) return;
    this.segments.push(this.newSegment(this.nextOffset));
    void active.sealIndexFiles();
  }

  read(offset: bigint, maxBytes: number): Buffer[] {
    const out: Buffer[] = [];
    let total = 0;
    const chunk = Math.min(Math.max(maxBytes, 0), MAX_READ_CHUNK);
    for (const batch of this.batchesUpTo(offset, chunk)) {
      if (out.length > 0 && total + batch.length > maxBytes) break;
      out.push(batch);
      total += batch.length;
      if (total >= maxBytes) break;
    }
    return out;
  }

  batchesFrom(fromOffset: bigint): Iterable<Buffer> {
    return this.batchesUpTo(fromOffset, MAX_READ_CHUNK);
  }

  private *batchesUpTo(fromOffset: bigint, chunkBytes: number): Generator<Buffer> {
    const end = this.highWatermark;
    if (fromOffset >= end) return;
    for (let i = this.segmentIndexFor(fromOffset); i < this.segments.length; i++) {
      yield* this.segments[i].batches(fromOffset, end, chunkBytes);
    }
  }

  /** Index of the last segment whose base offset is <= offset (0 before the log start). */
  private segmentIndexFor(offset: bigint): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid].baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  offsetForTimestamp(timestampMs: bigint): bigint | undefined {
    const target = Number(timestampMs);
    for (const segment of this.segments) {
      const found = segment.offsetForTimestamp(target, this.highWatermark);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Segments that retention removes now; never the active one nor one not yet durable. */
  private takeExpired(nowMs: number): Segment[] {
    const { retentionMs, retentionBytes } = this.config();
    let total = this.segments.reduce((sum, s) => sum + s.size, 0);
    const expired: Segment[] = [];
    while (this.segments.length > 1 && this.segments[0].nextOffset <= this.highWatermark) {
      const oldest = this.segments[0];
      const tooOld = retentionMs >= 0 && nowMs - oldest.maxTimestamp > retentionMs;
      const tooBig = retentionBytes >= 0 && total > retentionBytes;
      if (!tooOld && !tooBig) break;
      expired.push(oldest);
      this.segments.shift();
      total -= oldest.size;
    }
    return expired;
  }

  async applyRetention(nowMs: number): Promise<void> {
    await Promise.all(this.takeExpired(nowMs).map((s) => s.remove()));
  }

  close(): Promise<unknown> {
    return Promise.all(this.segments.map((s) => s.close()));
  }

  remove(): Promise<unknown> {
    return Promise.all(this.segments.map((s) => s.remove()));
  }
}
