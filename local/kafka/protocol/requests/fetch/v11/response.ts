import { aborted } from "../v4/response";
import { responseWith } from "../v7/response";

/**
 * Fetch Response (Version: 11): partitions => partition error_code high_watermark last_stable_offset
 *   log_start_offset [aborted_transactions] preferred_read_replica records
 */
export const response = responseWith((w, p) => {
  w.int32(p.partition).int16(p.errorCode).int64(p.highWatermark).int64(p.lastStableOffset);
  w.int64(p.logStartOffset);
  aborted(w, p);
  w.int32(p.preferredReadReplica).records(p.records);
});
