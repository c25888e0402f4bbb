import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { FetchRequest, FetchResponse } from "./types";
import { request as requestV4 } from "./v4/request";
import { response as responseV4 } from "./v4/response";
import { request as requestV5 } from "./v5/request";
import { response as responseV5 } from "./v5/response";
import { request as requestV7 } from "./v7/request";
import { response as responseV7 } from "./v7/response";
import { request as requestV9 } from "./v9/request";
import { request as requestV11 } from "./v11/request";
import { response as responseV11 } from "./v11/response";

// v4 is the first version that carries v2 record batches and isolation levels.
export const fetch: ApiCodec<FetchRequest, FetchResponse> = {
  key: ApiKey.Fetch,
  name: "Fetch",
  versions: {
    4: { request: requestV4, response: responseV4 },
    5: { request: requestV5, response: responseV5 },
    6: { request: requestV5, response: responseV5 },
    7: { request: requestV7, response: responseV7 },
    8: { request: requestV7, response: responseV7 },
    9: { request: requestV9, response: responseV7 },
    10: { request: requestV9, response: responseV7 },
    11: { request: requestV11, response: responseV11 },
  },
};
