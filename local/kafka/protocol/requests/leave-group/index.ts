import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import { response as responseV0 } from "../heartbeat/v0/response";
import { response as responseV1 } from "../heartbeat/v1/response";
import type { LeaveGroupRequest, LeaveGroupResponse } from "./types";
import { request as requestV0 } from "./v0/request";
import { request as requestV3 } from "./v3/request";
import { response as responseV3 } from "./v3/response";

// v0–v2 responses have Heartbeat's shape (error_code, then throttle-first), so they share its encoders.
export const leaveGroup: ApiCodec<LeaveGroupRequest, LeaveGroupResponse> = {
  key: ApiKey.LeaveGroup,
  name: "LeaveGroup",
  versions: {
    0: { request: requestV0, response: responseV0 },
    1: { request: requestV0, response: responseV1 },
    2: { request: requestV0, response: responseV1 },
    3: { request: requestV3, response: responseV3 },
  },
};
