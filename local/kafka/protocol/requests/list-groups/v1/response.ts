import { throttledFirst } from "../../codec";
import { response as v0 } from "../v0/response";

/** ListGroups Response (Version: 1..2) => throttle_time_ms error_code [groups] */
export const response = throttledFirst(v0);
