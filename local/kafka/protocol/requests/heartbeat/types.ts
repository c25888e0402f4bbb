export type HeartbeatRequest = {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
};
export type HeartbeatResponse = { throttleTimeMs: number; errorCode: number };
