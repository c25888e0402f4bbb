import { throttledFirst } from "../../codec";
import { response as v0 } from "../v0/response";

/** Heartbeat / LeaveGroup Response (Version: 1..) => throttle_time_ms error_code */
export const response = throttledFirst<{ throttleTimeMs: number; errorCode: number }>(v0);
