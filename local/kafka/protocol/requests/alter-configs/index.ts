import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { AlterConfigsRequest, AlterConfigsResponse } from "./types";
import { request as requestV0 } from "./v0/request";
import { response as responseV0 } from "./v0/response";

/** v1 changed only the throttling behaviour, not the format. */
export const alterConfigs: ApiCodec<AlterConfigsRequest, AlterConfigsResponse> = {
  key: ApiKey.AlterConfigs,
  name: "AlterConfigs",
  versions: {
    0: { request: requestV0, response: responseV0 },
    1: { request: requestV0, response: responseV0 },
  },
};
