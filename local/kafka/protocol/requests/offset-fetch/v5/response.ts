import type { Writer } from "../../../writer";
import type { OffsetFetchResponse } from "../types";
import { topicsWith } from "../v1/response";

const topicsV5 = topicsWith((w, p) => {
  w.int32(p.partitionIndex).int64(p.committedOffset).int32(-1); // committed_leader_epoch: unknown
  w.nullableString(p.metadata).int16(p.errorCode);
});

/**
 * OffsetFetch Response (Version: 5) => throttle_time_ms [topics] error_code
 *   partitions => partition_index committed_offset committed_leader_epoch metadata error_code
 */
export const response = (w: Writer, res: OffsetFetchResponse) => {
  w.int32(res.throttleTimeMs);
  topicsV5(w, res);
  w.int16(res.errorCode);
};
