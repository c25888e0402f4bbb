import type { Writer } from "../../../writer";
import type { MetadataResponse } from "../types";
import { response as v2 } from "../v2/response";

/** Metadata Response (Version: 3..4) => throttle_time_ms [brokers] cluster_id controller_id [topics] */
export const response = (w: Writer, res: MetadataResponse) => {
  w.int32(res.throttleTimeMs);
  v2(w, res);
};
