import type { Reader } from "../../../reader";
import type { SyncGroupRequest } from "../types";

export const assignments = (r: Reader) => r.array((r) => ({ memberId: r.string(), assignment: r.bytes() }));

/** SyncGroup Request (Version: 0..2) => group_id generation_id member_id [assignments] */
export const request = (r: Reader): SyncGroupRequest => ({
  groupId: r.string(),
  generationId: r.int32(),
  memberId: r.string(),
  groupInstanceId: null,
  assignments: assignments(r),
});
