import type { Reader } from "../../../reader";
import type { LeaveGroupRequest } from "../types";

/** LeaveGroup Request (Version: 0..2) => group_id member_id */
export const request = (r: Reader): LeaveGroupRequest => ({
  groupId: r.string(),
  members: [{ memberId: r.string(), groupInstanceId: null }],
});
