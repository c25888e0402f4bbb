import type { Reader } from "../../../reader";
import type { JoinGroupRequest } from "../types";
import { protocols } from "../v0/request";

/** JoinGroup Request (Version: 1..4) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols] */
export const request = (r: Reader): JoinGroupRequest => ({
  groupId: r.string(),
  sessionTimeoutMs: r.int32(),
  rebalanceTimeoutMs: r.int32(),
  memberId: r.string(),
  groupInstanceId: null,
  protocolType: r.string(),
  protocols: protocols(r),
});
