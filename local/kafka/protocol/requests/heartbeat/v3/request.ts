import type { Reader } from "../../../reader";
import type { HeartbeatRequest } from "../types";

/** Heartbeat Request (Version: 3) => group_id generation_id member_id group_instance_id */
export const request = (r: Reader): HeartbeatRequest => ({
  groupId: r.string(),
  generationId: r.int32(),
  memberId: r.string(),
  groupInstanceId: r.nullableString(),
});
