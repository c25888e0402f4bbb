import type { Ordering, PipelineConfig } from "./config";
import type { PaymentType } from "./generated/graphql";

// Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), in 32-bit integer
// arithmetic like the Java original, so Java clients, kafkajs and Payrail agree.
const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 of the UTF-8 bytes of `key` (or the bytes themselves), as a signed 32-bit int. */
export function murmur2(key: string | Uint8Array): number {
  const data = typeof key === "string" ? new TextEncoder().encode(key) : key;
  const length = data.length;
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The 1-3 tail bytes, as Kafka's fall-through switch handles them.
  const tail = length - whole;
  if (tail > 0) {
    if (tail === 3) h ^= data[whole + 2] << 16;
    if (tail >= 2) h ^= data[whole + 1] << 8;
    h ^= data[whole];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's Utils.toPositive: clears the sign bit (not Math.abs, which differs for MIN_VALUE). */
export function toPositive(value: number): number {
  return value & 0x7fffffff;
}

/** Partitions per topic: the sum of all payment types' ranges. */
export function topicPartitionCount(pipeline: PipelineConfig): number {
  return pipeline.partitions.reduce((sum, range) => sum + range.count, 0);
}

/**
 * The partition for a record: inside its payment type's range, chosen by the record key
 * (`partitionKey`), so all events sharing a key stay in order on one partition.
 */
export function partitionFor(paymentType: PaymentType, key: string, pipeline: PipelineConfig): number {
  const range = pipeline.partitions.find((candidate) => candidate.paymentType === paymentType);
  if (!range) throw new Error(`pipeline config has no partition range for ${paymentType}`);
  return range.first + (toPositive(murmur2(key)) % range.count);
}

/**
 * The record key `partitionFor` hashes: the tenant id keeps a tenant on one partition of
 * its type's range; tenant + payment id spreads the tenant over the whole range while
 * each payment's events still share one partition.
 */
export function partitionKey(ordering: Ordering, tenantId: string, paymentId: string): string {
  return ordering === "payment" ? `${tenantId}/${paymentId}` : tenantId;
}

/**
 * Whether `key` is a record key of this payment under either ordering: a tenant may switch
 * its setting while records keyed the other way are still in flight.
 */
export function isPartitionKeyOf(key: string, tenantId: string, paymentId: string): boolean {
  return (
    key === partitionKey("tenant", tenantId, paymentId) ||
    key === partitionKey("payment", tenantId, paymentId)
  );
}
