import type { Reader } from "../../../reader";
import type { DeleteTopicsRequest } from "../types";

/** DeleteTopics Request (Version: 0..1) => [topic_names] timeout_ms */
export const request = (r: Reader): DeleteTopicsRequest => ({
  topicNames: r.array((r) => r.string()),
  timeoutMs: r.int32(),
});
