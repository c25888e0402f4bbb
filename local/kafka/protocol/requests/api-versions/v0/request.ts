import type { Reader } from "../../../reader";
import type { ApiVersionsRequest } from "../types";

/** ApiVersions Request (Version: 0..2) => (empty) */
export const request = (_r: Reader): ApiVersionsRequest => ({
  clientSoftwareName: null,
  clientSoftwareVersion: null,
});
