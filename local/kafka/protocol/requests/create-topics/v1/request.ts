import type { Reader } from "../../../reader";
import type { CreateTopicsRequest } from "../types";
import { topics } from "../v0/request";

/** CreateTopics Request (Version: 1..3) => [topics] timeout_ms validate_only */
export const request = (r: Reader): CreateTopicsRequest => ({
  topics: topics(r),
  timeoutMs: r.int32(),
  validateOnly: r.boolean(),
});
