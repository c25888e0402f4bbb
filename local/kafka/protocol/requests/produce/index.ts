import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { ProduceRequest, ProduceResponse } from "./types";
import { request as requestV3 } from "./v3/request";
import { response as responseV3 } from "./v3/response";
import { response as responseV5 } from "./v5/response";

// v0–v2 carry message formats v0/v1, which this broker does not store.
export const produce: ApiCodec<ProduceRequest, ProduceResponse> = {
  key: ApiKey.Produce,
  name: "Produce",
  versions: {
    3: { request: requestV3, response: responseV3 },
    4: { request: requestV3, response: responseV3 },
    5: { request: requestV3, response: responseV5 },
    6: { request: requestV3, response: responseV5 },
    7: { request: requestV3, response: responseV5 },
  },
};
