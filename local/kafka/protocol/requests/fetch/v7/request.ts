import type { Reader } from "../../../reader";
import type { FetchRequest } from "../types";
import { limits, type PartitionDecoder, topicsWith } from "../v4/request";
import { partitionV5 } from "../v5/request";

export const requestWith =
  (partition: PartitionDecoder) =>
  (r: Reader): FetchRequest => ({
    ...limits(r),
    sessionId: r.int32(),
    sessionEpoch: r.int32(),
    topics: topicsWith(partition)(r),
    forgottenTopics: r.array((r) => ({ topic: r.string(), partitions: r.array((r) => r.int32()) })),
    rackId: "",
  });

/**
 * Fetch Request (Version: 7..8) => replica_id max_wait_ms min_bytes max_bytes isolation_level
 *   session_id session_epoch [topics] [forgotten_topics_data]
 */
export const request = requestWith(partitionV5);
