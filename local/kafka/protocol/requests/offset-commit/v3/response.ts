import { throttledFirst } from "../../codec";
import { response as v2 } from "../v2/response";

/** OffsetCommit Response (Version: 3..5) => throttle_time_ms [topics] */
export const response = throttledFirst(v2);
