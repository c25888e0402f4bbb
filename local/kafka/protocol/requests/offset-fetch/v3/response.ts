import { throttledFirst } from "../../codec";
import { response as v2 } from "../v2/response";

/** OffsetFetch Response (Version: 3..4) => throttle_time_ms [topics] error_code */
export const response = throttledFirst(v2);
