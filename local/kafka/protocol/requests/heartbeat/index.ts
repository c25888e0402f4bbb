import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { HeartbeatRequest, HeartbeatResponse } from "./types";
import { request as requestV0 } from "./v0/request";
import { response as responseV0 } from "./v0/response";
import { response as responseV1 } from "./v1/response";
import { request as requestV3 } from "./v3/request";

export const heartbeat: ApiCodec<HeartbeatRequest, HeartbeatResponse> = {
  key: ApiKey.Heartbeat,
  name: "Heartbeat",
  versions: {
    0: { request: requestV0, response: responseV0 },
    1: { request: requestV0, response: responseV1 },
    2: { request: requestV0, response: responseV1 },
    3: { request: requestV3, response: responseV1 },
  },
};
