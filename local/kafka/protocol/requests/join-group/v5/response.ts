import type { Writer } from "../../../writer";
import type { JoinGroupResponse } from "../types";

/**
 * JoinGroup Response (Version: 5) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
 *   members => member_id group_instance_id metadata
 */
export const response = (w: Writer, res: JoinGroupResponse) => {
  w.int32(res.throttleTimeMs).int16(res.errorCode).int32(res.generationId);
  w.string(res.protocolName).string(res.leader).string(res.memberId);
  w.array(res.members, (w, m) => w.string(m.memberId).nullableString(m.groupInstanceId).bytes(m.metadata));
};
