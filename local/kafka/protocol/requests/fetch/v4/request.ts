import type { Reader } from "../../../reader";
import type { FetchPartitionRequest, FetchRequest } from "../types";

export type PartitionDecoder = (r: Reader) => FetchPartitionRequest;

export const topicsWith = (partition: PartitionDecoder) => (r: Reader) =>
  r.array((r) => ({ topic: r.string(), partitions: r.array(partition) }));

/** partitions => partition fetch_offset partition_max_bytes */
const partitionV4: PartitionDecoder = (r) => ({
  partition: r.int32(),
  currentLeaderEpoch: -1,
  fetchOffset: r.int64(),
  logStartOffset: -1n,
  partitionMaxBytes: r.int32(),
});

/** replica_id max_wait_ms min_bytes max_bytes isolation_level: the head of every version from 4. */
export const limits = (r: Reader) => ({
  replicaId: r.int32(),
  maxWaitMs: r.int32(),
  minBytes: r.int32(),
  maxBytes: r.int32(),
  isolationLevel: r.int8(),
});

export const requestWith =
  (partition: PartitionDecoder) =>
  (r: Reader): FetchRequest => ({
    ...limits(r),
    sessionId: 0,
    sessionEpoch: -1,
    topics: topicsWith(partition)(r),
    forgottenTopics: [],
    rackId: "",
  });

/**
 * Fetch Request (Version: 4) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
 *   topics => topic [partitions]
 */
export const request = requestWith(partitionV4);
