import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { MetadataRequest, MetadataResponse } from "./types";
import { request as requestV0 } from "./v0/request";
import { response as responseV0 } from "./v0/response";
import { request as requestV1 } from "./v1/request";
import { response as responseV1 } from "./v1/response";
import { response as responseV2 } from "./v2/response";
import { response as responseV3 } from "./v3/response";
import { request as requestV4 } from "./v4/request";
import { response as responseV5 } from "./v5/response";

export const metadata: ApiCodec<MetadataRequest, MetadataResponse> = {
  key: ApiKey.Metadata,
  name: "Metadata",
  versions: {
    0: { request: requestV0, response: responseV0 },
    1: { request: requestV1, response: responseV1 },
    2: { request: requestV1, response: responseV2 },
    3: { request: requestV1, response: responseV3 },
    4: { request: requestV4, response: responseV3 },
    5: { request: requestV4, response: responseV5 },
    6: { request: requestV4, response: responseV5 },
  },
};
