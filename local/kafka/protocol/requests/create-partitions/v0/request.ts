import type { Reader } from "../../../reader";
import type { CreatePartitionsRequest } from "../types";

/**
 * CreatePartitions Request (Version: 0..1) => [topics] timeout_ms validate_only
 *   topics => name count [assignments] (nullable); assignments => [broker_ids]
 */
export const request = (r: Reader): CreatePartitionsRequest => ({
  topics: r.array((r) => ({
    name: r.string(),
    count: r.int32(),
    assignments: r.nullableArray((r) => r.array((r) => r.int32())),
  })),
  timeoutMs: r.int32(),
  validateOnly: r.boolean(),
});
