import { throttledFirst } from "../../codec";
import { response as v0 } from "../v0/response";

/** SyncGroup Response (Version: 1..3) => throttle_time_ms error_code assignment */
export const response = throttledFirst(v0);
