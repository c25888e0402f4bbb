export type LeaveGroupRequest = {
  groupId: string;
  /** v0–v2 carry one member id; v3 a batch. */
  members: { memberId: string; groupInstanceId: string | null }[];
};
export type LeaveGroupResponse = {
  throttleTimeMs: number;
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
};
