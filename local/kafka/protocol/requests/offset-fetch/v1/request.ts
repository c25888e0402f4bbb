import type { Reader } from "../../../reader";
import type { OffsetFetchRequest } from "../types";

export const topic = (r: Reader) => ({ name: r.string(), partitionIndexes: r.array((r) => r.int32()) });

/** OffsetFetch Request (Version: 1) => group_id [topics]; topics => name [partition_indexes] */
export const request = (r: Reader): OffsetFetchRequest => ({ groupId: r.string(), topics: r.array(topic) });
