export type OffsetCommitRequest = {
  groupId: string;
  generationId: number;
  memberId: string;
  topics: {
    name: string;
    partitions: { partitionIndex: number; committedOffset: bigint; committedMetadata: string | null }[];
  }[];
};
export type OffsetCommitResponse = {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
};
