import type { Reader } from "../../../reader";
import type { SyncGroupRequest } from "../types";
import { assignments } from "../v0/request";

/** SyncGroup Request (Version: 3) => group_id generation_id member_id group_instance_id [assignments] */
export const request = (r: Reader): SyncGroupRequest => ({
  groupId: r.string(),
  generationId: r.int32(),
  memberId: r.string(),
  groupInstanceId: r.nullableString(),
  assignments: assignments(r),
});
