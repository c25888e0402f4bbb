import type { Reader } from "../../../reader";
import type { ListOffsetsRequest } from "../types";

export const topics = (r: Reader): ListOffsetsRequest["topics"] =>
  r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ partitionIndex: r.int32(), timestamp: r.int64() })),
  }));

/**
 * ListOffsets Request (Version: 1) => replica_id [topics]
 *   topics => name [partitions]; partitions => partition_index timestamp
 */
export const request = (r: Reader): ListOffsetsRequest => ({
  replicaId: r.int32(),
  isolationLevel: 0,
  topics: topics(r),
});
