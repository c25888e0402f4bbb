import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { ListGroupsRequest, ListGroupsResponse } from "./types";
import { request as requestV0 } from "./v0/request";
import { response as responseV0 } from "./v0/response";
import { response as responseV1 } from "./v1/response";

export const listGroups: ApiCodec<ListGroupsRequest, ListGroupsResponse> = {
  key: ApiKey.ListGroups,
  name: "ListGroups",
  versions: {
    0: { request: requestV0, response: responseV0 },
    1: { request: requestV0, response: responseV1 },
    2: { request: requestV0, response: responseV1 },
  },
};
