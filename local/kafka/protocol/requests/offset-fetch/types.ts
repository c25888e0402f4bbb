export type OffsetFetchRequest = {
  groupId: string;
  /** null = every partition the group has committed. */
  topics: { name: string; partitionIndexes: number[] }[] | null;
};
export type OffsetFetchPartition = {
  partitionIndex: number;
  /** -1 when nothing is committed. */
  committedOffset: bigint;
  metadata: string | null;
  errorCode: number;
};
export type OffsetFetchResponse = {
  throttleTimeMs: number;
  topics: { name: string; partitions: OffsetFetchPartition[] }[];
  errorCode: number;
};
