import type { Writer } from "../../../writer";
import type { ApiVersionsResponse } from "../types";
import { apiKeyRange } from "../v0/response";

/**
 * ApiVersions Response (Version: 3) => error_code [api_keys] throttle_time_ms TAG_BUFFER
 *   api_keys => api_key min_version max_version TAG_BUFFER (compact array)
 * The response header stays v0 even though the body is flexible.
 */
export const response = (w: Writer, res: ApiVersionsResponse) => {
  w.int16(res.errorCode);
  w.compactArray(res.apiKeys, (w, k) => {
    apiKeyRange(w, k);
    w.taggedFields();
  });
  w.int32(res.throttleTimeMs).taggedFields();
};
