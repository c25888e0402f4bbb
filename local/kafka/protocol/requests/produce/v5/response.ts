import { partitionV3, responseWith } from "../v3/response";

/** Produce Response (Version: 5..7): partition_responses gain log_start_offset. */
export const response = responseWith((w, p) => {
  partitionV3(w, p);
  w.int64(p.logStartOffset);
});
