import type { Reader } from "../../../reader";
import type { OffsetFetchRequest } from "../types";
import { topic } from "../v1/request";

/** OffsetFetch Request (Version: 2..5) => group_id [topics] — null topics asks for every committed partition. */
export const request = (r: Reader): OffsetFetchRequest => ({
  groupId: r.string(),
  topics: r.nullableArray(topic),
});
