export type JoinGroupRequest = {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
};
export type JoinGroupResponse = {
  throttleTimeMs: number;
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  /** Filled for the leader only. */
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
};
