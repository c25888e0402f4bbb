import { throttledFirst } from "../../codec";
import { response as v0 } from "../v0/response";

/** DeleteTopics Response (Version: 1) => throttle_time_ms [responses] */
export const response = throttledFirst(v0);
