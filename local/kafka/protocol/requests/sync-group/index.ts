import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { SyncGroupRequest, SyncGroupResponse } from "./types";
import { request as requestV0 } from "./v0/request";
import { response as responseV0 } from "./v0/response";
import { response as responseV1 } from "./v1/response";
import { request as requestV3 } from "./v3/request";

export const syncGroup: ApiCodec<SyncGroupRequest, SyncGroupResponse> = {
  key: ApiKey.SyncGroup,
  name: "SyncGroup",
  versions: {
    0: { request: requestV0, response: responseV0 },
    1: { request: requestV0, response: responseV1 },
    2: { request: requestV0, response: responseV1 },
    3: { request: requestV3, response: responseV1 },
  },
};
