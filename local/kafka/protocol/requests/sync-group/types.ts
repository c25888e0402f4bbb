export type SyncGroupRequest = {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** Sent by the leader only. */
  assignments: { memberId: string; assignment: Buffer }[];
};
export type SyncGroupResponse = { throttleTimeMs: number; errorCode: number; assignment: Buffer };
