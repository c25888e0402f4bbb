import type { Writer } from "../../../writer";
import type { FetchResponse } from "../types";
import { aborted, type PartitionEncoder, responsesWith } from "../v4/response";

/** partitions => partition error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] records */
export const partitionV5: PartitionEncoder = (w, p) => {
  w.int32(p.partition).int16(p.errorCode).int64(p.highWatermark).int64(p.lastStableOffset);
  w.int64(p.logStartOffset);
  aborted(w, p);
  w.records(p.records);
};

/** Fetch Response (Version: 5..6) => throttle_time_ms [responses] */
export const response = (w: Writer, res: FetchResponse) => {
  w.int32(res.throttleTimeMs);
  responsesWith(partitionV5)(w, res);
};
