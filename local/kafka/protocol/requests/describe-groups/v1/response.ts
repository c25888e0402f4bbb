import { throttledFirst } from "../../codec";
import { response as v0 } from "../v0/response";

/** DescribeGroups Response (Version: 1..2) => throttle_time_ms [groups] */
export const response = throttledFirst(v0);
