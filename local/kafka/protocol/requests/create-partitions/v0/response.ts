import type { Writer } from "../../../writer";
import type { CreatePartitionsResponse } from "../types";

/**
 * CreatePartitions Response (Version: 0..1) => throttle_time_ms [results]
 *   results => name error_code error_message
 */
export const response = (w: Writer, res: CreatePartitionsResponse) => {
  w.int32(res.throttleTimeMs);
  w.array(res.results, (w, r) => w.string(r.name).int16(r.errorCode).nullableString(r.errorMessage));
};
