import type { Reader } from "../../../reader";
import type { OffsetCommitRequest } from "../types";
import { topics } from "../v2/request";

/** OffsetCommit Request (Version: 5) => group_id generation_id member_id [topics] */
export const request = (r: Reader): OffsetCommitRequest => ({
  groupId: r.string(),
  generationId: r.int32(),
  memberId: r.string(),
  topics: topics(r),
});
