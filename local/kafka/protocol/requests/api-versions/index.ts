import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { ApiVersionsRequest, ApiVersionsResponse } from "./types";
import { request as requestV0 } from "./v0/request";
import { response as responseV0 } from "./v0/response";
import { response as responseV1 } from "./v1/response";
import { request as requestV3 } from "./v3/request";
import { response as responseV3 } from "./v3/response";

export const apiVersions: ApiCodec<ApiVersionsRequest, ApiVersionsResponse> = {
  key: ApiKey.ApiVersions,
  name: "ApiVersions",
  flexibleFrom: 3,
  versions: {
    0: { request: requestV0, response: responseV0 },
    1: { request: requestV0, response: responseV1 },
    2: { request: requestV0, response: responseV1 },
    3: { request: requestV3, response: responseV3 },
  },
};
