import type { Writer } from "../../../writer";
import type { ListGroupsResponse } from "../types";

/** ListGroups Response (Version: 0) => error_code [groups]; groups => group_id protocol_type */
export const response = (w: Writer, res: ListGroupsResponse) => {
  w.int16(res.errorCode).array(res.groups, (w, g) => w.string(g.groupId).string(g.protocolType));
};
