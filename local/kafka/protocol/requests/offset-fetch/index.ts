import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { OffsetFetchRequest, OffsetFetchResponse } from "./types";
import { request as requestV1 } from "./v1/request";
import { response as responseV1 } from "./v1/response";
import { request as requestV2 } from "./v2/request";
import { response as responseV2 } from "./v2/response";
import { response as responseV3 } from "./v3/response";
import { response as responseV5 } from "./v5/response";

export const offsetFetch: ApiCodec<OffsetFetchRequest, OffsetFetchResponse> = {
  key: ApiKey.OffsetFetch,
  name: "OffsetFetch",
  versions: {
    1: { request: requestV1, response: responseV1 },
    2: { request: requestV2, response: responseV2 },
    3: { request: requestV2, response: responseV3 },
    4: { request: requestV2, response: responseV3 },
    5: { request: requestV2, response: responseV5 },
  },
};
