import type { Writer } from "../../../writer";
import type { ApiVersionsResponse } from "../types";
import { response as v0 } from "../v0/response";

/** ApiVersions Response (Version: 1..2) => error_code [api_keys] throttle_time_ms */
export const response = (w: Writer, res: ApiVersionsResponse) => {
  v0(w, res);
  w.int32(res.throttleTimeMs);
};
