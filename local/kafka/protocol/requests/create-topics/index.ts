import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { CreateTopicsRequest, CreateTopicsResponse } from "./types";
import { request as requestV0 } from "./v0/request";
import { response as responseV0 } from "./v0/response";
import { request as requestV1 } from "./v1/request";
import { response as responseV1 } from "./v1/response";
import { response as responseV2 } from "./v2/response";

export const createTopics: ApiCodec<CreateTopicsRequest, CreateTopicsResponse> = {
  key: ApiKey.CreateTopics,
  name: "CreateTopics",
  versions: {
    0: { request: requestV0, response: responseV0 },
    1: { request: requestV1, response: responseV1 },
    2: { request: requestV1, response: responseV2 },
    3: { request: requestV1, response: responseV2 },
  },
};
