import type { BatchBytes, BatchHeader } from "../protocol/record-batch";

// Contract between the broker (protocol, groups, idempotence) and its storage.
// The broker never touches files; storage never parses requests.

export type TopicConfig = {
  /** Delete whole segments older than this; default 30 days. */
  retentionMs: number;
  /** Delete oldest segments while the partition is larger than this; -1 = unbounded. */
  retentionBytes: number;
  segmentBytes: number;
  /**
   * Roll the active segment once its records span this long (record time), so time
   * retention can act on low-volume topics; default 7 days, as Kafka's segment.ms.
   * Optional so that configs written before it existed stay valid.
   */
  segmentMs?: number;
};

export type TopicMeta = { name: string; partitions: number; config: TopicConfig };

export interface PartitionLog {
  /** First offset still stored (moves forward with retention). */
  readonly logStartOffset: bigint;
  /**
   * End of the acknowledged log (= last stable offset here): the offset after the last
   * batch whose append has resolved. Equals the next offset to be assigned in memory mode and
   * whenever no append is waiting for its fsync. `read` never returns batches at or above it.
   */
  readonly highWatermark: bigint;
  /**
   * Appends one magic-v2 record batch exactly as the producer sent it, rewriting only its
   * baseOffset to the next offset. Resolves with the assigned base offset once the batch
   * is durable as the store's `FlushPolicy` defines it (fdatasynced, or written to the OS;
   * concurrent appends share the write and the fdatasync). In memory mode it resolves
   * at once. Appends to one partition are applied in call order: the offset is assigned
   * synchronously within the call. `batch` is modified in place (its baseOffset). Rejects
   * (without assigning an offset) a batch that is not one whole v2 batch with a valid CRC;
   * `{ crcVerified: true }` skips the CRC (the broker has just checked it: one pass, not two),
   * and `header` is that batch's header as the broker read it (not read again). The batch may
   * be in pieces (the socket chunks it arrived in): they are written as they are, not joined.
   */
  append(batch: BatchBytes, options?: { crcVerified?: boolean; header?: BatchHeader }): Promise<bigint>;
  /**
   * Stored batches that contain offsets >= `offset`, in order, up to about `maxBytes`
   * (always at least one batch when any exists, as Kafka does). The first batch may
   * start before `offset`; clients skip the records they did not ask for.
   */
  read(offset: bigint, maxBytes: number): Buffer[];
  /** Offset of the first record with timestamp >= ts, or undefined if none. */
  offsetForTimestamp(timestampMs: bigint): bigint | undefined;
  /** Every stored batch from `fromOffset`, oldest first (used to rebuild producer state). */
  batchesFrom(fromOffset: bigint): Iterable<Buffer>;
}

export interface OffsetStore {
  commit(
    group: string,
    topic: string,
    partition: number,
    offset: bigint,
    metadata: string | null,
  ): Promise<void>;
  fetch(
    group: string,
    topic: string,
    partition: number,
  ): { offset: bigint; metadata: string | null } | undefined;
  groups(): string[];
}

export interface LogStore {
  /** Rejects when the topic exists or the partition count is not a positive integer. */
  createTopic(name: string, partitions: number, config?: Partial<TopicConfig>): Promise<TopicMeta>;
  /** Grows an existing topic to `partitions`; rejects an unknown topic or a count not above today's. */
  addPartitions(name: string, partitions: number): Promise<TopicMeta>;
  /**
   * Replaces an existing topic's config: fields not given take the defaults, as Kafka's
   * (non-incremental) AlterConfigs does. Rejects an unknown topic.
   */
  setTopicConfig(name: string, config: Partial<TopicConfig>): Promise<TopicMeta>;
  /** Removes the topic and its files; a no-op for an unknown topic. */
  deleteTopic(name: string): Promise<void>;
  topics(): TopicMeta[];
  topic(name: string): TopicMeta | undefined;
  partition(topic: string, partition: number): PartitionLog | undefined;
  readonly offsets: OffsetStore;
  /** Enforces retention on every partition; the broker calls this on a timer. */
  applyRetention(nowMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * When an append to a data dir counts as durable (and is acknowledged and visible):
 * - `always`: after its fdatasync. Survives a power loss; every acks=-1 produce waits
 *   for the disk.
 * - `interval`: once write() handed it to the OS (page cache), which survives kill -9 of
 *   the broker as Kafka's default (flush.messages unbounded) does; an fdatasync every
 *   `intervalMs` in the background, and on close, bounds what a power loss could take.
 * Recovery is the same for both: torn tails are cut at the first bad batch.
 */
export type FlushPolicy = { mode: "always" } | { mode: "interval"; intervalMs: number };

export type LogStoreOptions = {
  /** Directory for segment files and offsets; undefined keeps everything in memory. */
  dataDir?: string;
  defaults?: Partial<TopicConfig>;
  /** Default `{ mode: "always" }`; ignored in memory. */
  flush?: FlushPolicy;
};

/** Implemented in ./index.ts: `openLogStore(options): Promise<LogStore>`. */
export type OpenLogStore = (options: LogStoreOptions) => Promise<LogStore>;
