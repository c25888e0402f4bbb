import type { Reader } from "../../../reader";
import type { LeaveGroupRequest } from "../types";

/** LeaveGroup Request (Version: 3) => group_id [members]; members => member_id group_instance_id */
export const request = (r: Reader): LeaveGroupRequest => ({
  groupId: r.string(),
  members: r.array((r) => ({ memberId: r.string(), groupInstanceId: r.nullableString() })),
});
