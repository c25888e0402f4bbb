import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { CreatePartitionsRequest, CreatePartitionsResponse } from "./types";
import { request as requestV0 } from "./v0/request";
import { response as responseV0 } from "./v0/response";

/** v1 changed only the throttling behaviour, not the format. */
export const createPartitions: ApiCodec<CreatePartitionsRequest, CreatePartitionsResponse> = {
  key: ApiKey.CreatePartitions,
  name: "CreatePartitions",
  versions: {
    0: { request: requestV0, response: responseV0 },
    1: { request: requestV0, response: responseV0 },
  },
};
