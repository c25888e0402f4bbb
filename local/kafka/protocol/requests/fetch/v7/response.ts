import type { Writer } from "../../../writer";
import type { FetchResponse } from "../types";
import { type PartitionEncoder, responsesWith } from "../v4/response";
import { partitionV5 } from "../v5/response";

export const responseWith = (partition: PartitionEncoder) => (w: Writer, res: FetchResponse) => {
  w.int32(res.throttleTimeMs).int16(res.errorCode).int32(res.sessionId);
  responsesWith(partition)(w, res);
};

/** Fetch Response (Version: 7..10) => throttle_time_ms error_code session_id [responses] */
export const response = responseWith(partitionV5);
