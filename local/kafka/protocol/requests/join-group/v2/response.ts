import { throttledFirst } from "../../codec";
import { response as v0 } from "../v0/response";

/** JoinGroup Response (Version: 2..4) => throttle_time_ms + the v0 body */
export const response = throttledFirst(v0);
