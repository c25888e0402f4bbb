import type { Reader } from "../../../reader";
import type { CreateTopicsRequest } from "../types";

export const topics = (r: Reader): CreateTopicsRequest["topics"] =>
  r.array((r) => ({
    name: r.string(),
    numPartitions: r.int32(),
    replicationFactor: r.int16(),
    assignments: r.array((r) => ({ partitionIndex: r.int32(), brokerIds: r.array((r) => r.int32()) })),
    configs: r.array((r) => ({ name: r.string(), value: r.nullableString() })),
  }));

/**
 * CreateTopics Request (Version: 0) => [topics] timeout_ms
 *   topics => name num_partitions replication_factor [assignments] [configs]
 */
export const request = (r: Reader): CreateTopicsRequest => ({
  topics: topics(r),
  timeoutMs: r.int32(),
  validateOnly: false,
});
