import type { Writer } from "../../../writer";
import type { ApiVersionRange, ApiVersionsResponse } from "../types";

export const apiKeyRange = (w: Writer, k: ApiVersionRange) => {
  w.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion);
};

/**
 * ApiVersions Response (Version: 0) => error_code [api_keys]
 *   api_keys => api_key min_version max_version (INT16 each)
 * Also the answer to any ApiVersions version newer than this broker knows.
 */
export const response = (w: Writer, res: ApiVersionsResponse) => {
  w.int16(res.errorCode).array(res.apiKeys, apiKeyRange);
};
