// Port: the processors' shared breaker state and window counters (../dynamodb/processor-health).
import type { BreakerState, Bucket } from "../../../core/routing";

export type StoredBreaker = BreakerState & { version: number };

/** Samples of one bucket, added up. */
export type Counts = { requests: number; errors: number; slow: number };

export interface ProcessorHealthStore {
  /** The breaker alone (version 0 and closed when never written): enough to tell availability. */
  readBreaker(processor: string): Promise<StoredBreaker>;
  /** The breaker (version 0 and closed when never written) and the buckets from `fromMs` on. */
  read(processor: string, fromMs: number): Promise<{ breaker: StoredBreaker; buckets: Bucket[] }>;
  /** Adds samples' counts to a bucket atomically; the bucket expires at `expiresAtSeconds`. */
  addSamples(
    processor: string,
    bucketStartMs: number,
    counts: Counts,
    expiresAtSeconds: number,
  ): Promise<void>;
  /** Writes `next` if the breaker is still at `version`; false when another instance changed it first. */
  replaceBreaker(processor: string, version: number, next: BreakerState): Promise<boolean>;
}
