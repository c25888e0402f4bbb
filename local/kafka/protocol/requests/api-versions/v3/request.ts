import type { Reader } from "../../../reader";
import type { ApiVersionsRequest } from "../types";

/** ApiVersions Request (Version: 3) => client_software_name client_software_version TAG_BUFFER (compact strings) */
export const request = (r: Reader): ApiVersionsRequest => {
  const req = { clientSoftwareName: r.compactString(), clientSoftwareVersion: r.compactString() };
  r.taggedFields();
  return req;
};
