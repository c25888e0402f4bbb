export type ListGroupsRequest = Record<string, never>;
export type ListGroupsResponse = {
  throttleTimeMs: number;
  errorCode: number;
  groups: { groupId: string; protocolType: string }[];
};
