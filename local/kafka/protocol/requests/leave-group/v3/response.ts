import type { Writer } from "../../../writer";
import type { LeaveGroupResponse } from "../types";

/** LeaveGroup Response (Version: 3) => throttle_time_ms error_code [members]; members => member_id group_instance_id error_code */
export const response = (w: Writer, res: LeaveGroupResponse) => {
  w.int32(res.throttleTimeMs).int16(res.errorCode);
  w.array(res.members, (w, m) => w.string(m.memberId).nullableString(m.groupInstanceId).int16(m.errorCode));
};
