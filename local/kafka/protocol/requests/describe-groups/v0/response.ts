import type { Writer } from "../../../writer";
import type { DescribeGroupsResponse } from "../types";

/**
 * DescribeGroups Response (Version: 0) => [groups]
 *   groups => error_code group_id group_state protocol_type protocol_data [members]
 *     members => member_id client_id client_host member_metadata member_assignment
 */
export const response = (w: Writer, res: DescribeGroupsResponse) => {
  w.array(res.groups, (w, g) => {
    w.int16(g.errorCode).string(g.groupId).string(g.groupState).string(g.protocolType).string(g.protocolData);
    w.array(g.members, (w, m) => {
      w.string(m.memberId).string(m.clientId).string(m.clientHost);
      w.bytes(m.memberMetadata).bytes(m.memberAssignment);
    });
  });
};
