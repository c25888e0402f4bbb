export type DescribeGroupsRequest = { groups: string[] };
export type DescribedGroup = {
  errorCode: number;
  groupId: string;
  groupState: string;
  protocolType: string;
  protocolData: string;
  members: {
    memberId: string;
    clientId: string;
    clientHost: string;
    memberMetadata: Buffer;
    memberAssignment: Buffer;
  }[];
};
export type DescribeGroupsResponse = { throttleTimeMs: number; groups: DescribedGroup[] };
