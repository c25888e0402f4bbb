// Sparse index of one segment, kept in memory and mirrored to two files:
//   .index      relativeOffset int32, position int32       (8 bytes per entry)
//   .timeindex  maxTimestampBefore int64, relativeOffset int32 (12 bytes per entry)
// An entry is added before a batch once INDEX_INTERVAL_BYTES have been appended since the
// last one; maxTimestampBefore is the newest timestamp of every batch before that entry,
// so a timestamp lookup can start at the last entry whose value is below the target.

export const INDEX_INTERVAL_BYTES = 4096;
const OFFSET_ENTRY_BYTES = 8;
const TIME_ENTRY_BYTES = 12;

export type IndexEntry = { relativeOffset: number; position: number; maxTimestampBefore: number };

export class SparseIndex {
  private readonly entries: IndexEntry[] = [];

  get length(): number {
    return this.entries.length;
  }

  last(): IndexEntry | undefined {
    return this.entries.at(-1);
  }

  add(entry: IndexEntry): void {
    this.entries.push(entry);
  }

  /** Position of the last indexed batch at or before `relativeOffset` (0 when none). */
  positionForOffset(relativeOffset: number): number {
    const i = this.lastIndexWhere((e) => e.relativeOffset <= relativeOffset);
    return i < 0 ? 0 : this.entries[i].position;
  }

  /** Position before which every batch is older than `timestampMs`. */
  positionForTimestamp(timestampMs: number): number {
    const i = this.lastIndexWhere((e) => e.maxTimestampBefore < timestampMs);
    return i < 0 ? 0 : this.entries[i].position;
  }

  /** Entries are monotonic in both keys, so a binary search finds the boundary. */
  private lastIndexWhere(holds: (e: IndexEntry) => boolean): number {
    let lo = 0;
    let hi = this.entries.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (holds(this.entries[mid])) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  static encodeOffsetEntry(e: IndexEntry): Buffer {
    const buf = Buffer.allocUnsafe(OFFSET_ENTRY_BYTES);
    buf.writeInt32BE(e.relativeOffset, 0);
    buf.writeInt32BE(e.position, 4);
    return buf;
  }

  static encodeTimeEntry(e: IndexEntry): Buffer {
    const buf = Buffer.allocUnsafe(TIME_ENTRY_BYTES);
    buf.writeBigInt64BE(BigInt(e.maxTimestampBefore), 0);
    buf.writeInt32BE(e.relativeOffset, 8);
    return buf;
  }

  entriesFrom(start: number): IndexEntry[] {
    return this.entries.slice(start);
  }

  /**
   * The longest prefix of stored entries that is consistent: both files agree, keys grow,
   * and positions lie inside the log. A crash may leave either file short or stale.
   */
  static decode(offsetFile: Buffer, timeFile: Buffer, logSize: number): SparseIndex {
    const index = new SparseIndex();
    const count = Math.min(
      Math.floor(offsetFile.length / OFFSET_ENTRY_BYTES),
      Math.floor(timeFile.length / TIME_ENTRY_BYTES),
    );
    for (let i = 0; i < count; i++) {
      const relativeOffset = offsetFile.readInt32BE(i * OFFSET_ENTRY_BYTES);
      const position = offsetFile.readInt32BE(i * OFFSET_ENTRY_BYTES + 4);
      const maxTimestampBefore = Number(timeFile.readBigInt64BE(i * TIME_ENTRY_BYTES));
      const timeOffset = timeFile.readInt32BE(i * TIME_ENTRY_BYTES + 8);
      const prev = index.last();
      const consistent =
        timeOffset === relativeOffset &&
        position > 0 &&
        position < logSize &&
        (!prev ||
          (relativeOffset > prev.relativeOffset &&
            position > prev.position &&
            maxTimestampBefore >= prev.maxTimestampBefore));
      if (!consistent) break;
      index.add({ relativeOffset, position, maxTimestampBefore });
    }
    return index;
  }
}
