import { throttledFirst } from "../../codec";
import { response as v1 } from "../v1/response";

/** ListOffsets Response (Version: 2..3) => throttle_time_ms [topics] */
export const response = throttledFirst(v1);
