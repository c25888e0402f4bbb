import type { Writer } from "../../../writer";
import type { JoinGroupResponse } from "../types";

/**
 * JoinGroup Response (Version: 0..1) => error_code generation_id protocol_name leader member_id [members]
 *   members => member_id metadata
 */
export const response = (w: Writer, res: JoinGroupResponse) => {
  w.int16(res.errorCode).int32(res.generationId).string(res.protocolName).string(res.leader);
  w.string(res.memberId).array(res.members, (w, m) => w.string(m.memberId).bytes(m.metadata));
};
