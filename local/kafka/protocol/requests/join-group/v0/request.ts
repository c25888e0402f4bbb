import type { Reader } from "../../../reader";
import type { JoinGroupRequest } from "../types";

export const protocols = (r: Reader) => r.array((r) => ({ name: r.string(), metadata: r.bytes() }));

/**
 * JoinGroup Request (Version: 0) => group_id session_timeout_ms member_id protocol_type [protocols]
 *   protocols => name metadata
 */
export const request = (r: Reader): JoinGroupRequest => {
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  return {
    groupId,
    sessionTimeoutMs,
    rebalanceTimeoutMs: sessionTimeoutMs,
    memberId: r.string(),
    groupInstanceId: null,
    protocolType: r.string(),
    protocols: protocols(r),
  };
};
