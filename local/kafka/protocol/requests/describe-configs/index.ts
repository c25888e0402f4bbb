import { ApiKey } from "../../api-keys";
import type { ApiCodec } from "../codec";
import type { DescribeConfigsRequest, DescribeConfigsResponse } from "./types";
import { request as requestV0 } from "./v0/request";
import { response as responseV0 } from "./v0/response";
import { request as requestV1 } from "./v1/request";
import { response as responseV1 } from "./v1/response";

export const describeConfigs: ApiCodec<DescribeConfigsRequest, DescribeConfigsResponse> = {
  key: ApiKey.DescribeConfigs,
  name: "DescribeConfigs",
  versions: {
    0: { request: requestV0, response: responseV0 },
    1: { request: requestV1, response: responseV1 },
    2: { request: requestV1, response: responseV1 },
  },
};
