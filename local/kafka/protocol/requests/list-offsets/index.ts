import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { ListOffsetsRequest, ListOffsetsResponse } from "./types";
import { request as requestV1 } from "./v1/request";
import { response as responseV1 } from "./v1/response";
import { request as requestV2 } from "./v2/request";
import { response as responseV2 } from "./v2/response";

// v0 answers with arrays of old-style offsets; every client in scope uses v1+.
export const listOffsets: ApiCodec<ListOffsetsRequest, ListOffsetsResponse> = {
  key: ApiKey.ListOffsets,
  name: "ListOffsets",
  versions: {
    1: { request: requestV1, response: responseV1 },
    2: { request: requestV2, response: responseV2 },
    3: { request: requestV2, response: responseV2 },
  },
};
