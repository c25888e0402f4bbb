import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { JoinGroupRequest, JoinGroupResponse } from "./types";
import { request as requestV0 } from "./v0/request";
import { response as responseV0 } from "./v0/response";
import { request as requestV1 } from "./v1/request";
import { response as responseV2 } from "./v2/response";
import { request as requestV5 } from "./v5/request";
import { response as responseV5 } from "./v5/response";

export const joinGroup: ApiCodec<JoinGroupRequest, JoinGroupResponse> = {
  key: ApiKey.JoinGroup,
  name: "JoinGroup",
  versions: {
    0: { request: requestV0, response: responseV0 },
    1: { request: requestV1, response: responseV0 },
    2: { request: requestV1, response: responseV2 },
    3: { request: requestV1, response: responseV2 },
    4: { request: requestV1, response: responseV2 },
    5: { request: requestV5, response: responseV5 },
  },
};
