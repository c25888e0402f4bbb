import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { OffsetCommitRequest, OffsetCommitResponse } from "./types";
import { request as requestV2 } from "./v2/request";
import { response as responseV2 } from "./v2/response";
import { response as responseV3 } from "./v3/response";
import { request as requestV5 } from "./v5/request";

// v0/v1 are ZooKeeper-era commits; clients in scope use v2+.
export const offsetCommit: ApiCodec<OffsetCommitRequest, OffsetCommitResponse> = {
  key: ApiKey.OffsetCommit,
  name: "OffsetCommit",
  versions: {
    2: { request: requestV2, response: responseV2 },
    3: { request: requestV2, response: responseV3 },
    4: { request: requestV2, response: responseV3 },
    5: { request: requestV5, response: responseV3 },
  },
};
