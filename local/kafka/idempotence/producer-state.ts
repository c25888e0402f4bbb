import { ErrorCode } from "../protocol/errors";
import { type BatchHeader, parseBatchHeader } from "../protocol/record-batch";
import type { LogStore } from "../storage/types";

/** Modern Kafka keeps this many batches per producer per partition for duplicate detection. */
export const RETAINED_BATCHES = 5;

type BatchEntry = { firstSeq: number; lastSeq: number; baseOffset: Promise<bigint> };
type ProducerEntry = { epoch: number; batches: BatchEntry[] };

export type SequenceVerdict =
  | { kind: "append" }
  | { kind: "duplicate"; baseOffset: Promise<bigint> }
  | { kind: "reject"; errorCode: number };

const INT32_MAX = 0x7fffffff;
/** Sequences wrap to 0 after Int32.MAX, as in Kafka. */
const seqAfter = (seq: number, delta: number) => (seq + delta) % (INT32_MAX + 1);

const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** Per partition, per idempotent producer: epoch and the last batches' sequence ranges. */
export class ProducerStateTable {
  private readonly partitions = new Map<string, Map<bigint, ProducerEntry>>();

  private producers(topic: string, partition: number): Map<bigint, ProducerEntry> {
    const key = partitionKey(topic, partition);
    const map = this.partitions.get(key) ?? new Map<bigint, ProducerEntry>();
    this.partitions.set(key, map);
    return map;
  }

  /** Decides what to do with a batch before it is appended. */
  check(topic: string, partition: number, h: BatchHeader): SequenceVerdict {
    if (h.producerId < 0n) return { kind: "append" };
    const entry = this.producers(topic, partition).get(h.producerId);
    // Unknown producer (new, or its state aged out with retention): any sequence starts it.
    if (!entry) return { kind: "append" };
    if (h.producerEpoch < entry.epoch) return { kind: "reject", errorCode: ErrorCode.INVALID_PRODUCER_EPOCH };
    if (h.producerEpoch > entry.epoch) {
      return h.baseSequence === 0
        ? { kind: "append" }
        : { kind: "reject", errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
    }
    const lastSeq = seqAfter(h.baseSequence, h.lastOffsetDelta);
    const dup = entry.batches.find((b) => b.firstSeq === h.baseSequence && b.lastSeq === lastSeq);
    if (dup) return { kind: "duplicate", baseOffset: dup.baseOffset };
    const last = entry.batches.at(-1);
    if (last && h.baseSequence !== seqAfter(last.lastSeq, 1)) {
      return { kind: "reject", errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
    }
    return { kind: "append" };
  }

  /** Records an accepted batch at issue time, so a pipelined next batch sees it. */
  record(topic: string, partition: number, h: BatchHeader, baseOffset: Promise<bigint>): void {
    if (h.producerId < 0n) return;
    const producers = this.producers(topic, partition);
    let entry = producers.get(h.producerId);
    if (!entry || entry.epoch !== h.producerEpoch) {
      entry = { epoch: h.producerEpoch, batches: [] };
      producers.set(h.producerId, entry);
    }
    const batch = {
      firstSeq: h.baseSequence,
      lastSeq: seqAfter(h.baseSequence, h.lastOffsetDelta),
      baseOffset,
    };
    entry.batches.push(batch);
    if (entry.batches.length > RETAINED_BATCHES) entry.batches.shift();
    // A failed append was never written: forget it (and what was queued behind it) so the
    // producer's retry is appended rather than answered as a duplicate.
    baseOffset.catch(() => {
      const at = entry.batches.indexOf(batch);
      if (at >= 0) entry.batches.splice(at);
    });
  }

  dropTopic(topic: string): void {
    for (const key of [...this.partitions.keys()]) {
      if (key.startsWith(`${topic}\u0000`)) this.partitions.delete(key);
    }
  }

  /**
   * Replays every stored batch (oldest first) so duplicates of writes acknowledged before a
   * restart are still recognised. Returns the highest producer id seen.
   */
  rebuild(store: LogStore): bigint {
    let maxProducerId = -1n;
    for (const meta of store.topics()) {
      for (let p = 0; p < meta.partitions; p++) {
        const log = store.partition(meta.name, p);
        if (!log) continue;
        for (const batch of log.batchesFrom(log.logStartOffset)) {
          const h = parseBatchHeader(batch);
          if (h.producerId < 0n) continue;
          if (h.producerId > maxProducerId) maxProducerId = h.producerId;
          this.record(meta.name, p, h, Promise.resolve(h.baseOffset));
        }
      }
    }
    return maxProducerId;
  }
}
