import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { InitProducerIdRequest, InitProducerIdResponse } from "./types";
import { request as requestV0 } from "./v0/request";
import { response as responseV0 } from "./v0/response";

// v1 only changes throttling semantics; the wire format is v0's.
export const initProducerId: ApiCodec<InitProducerIdRequest, InitProducerIdResponse> = {
  key: ApiKey.InitProducerId,
  name: "InitProducerId",
  versions: {
    0: { request: requestV0, response: responseV0 },
    1: { request: requestV0, response: responseV0 },
  },
};
