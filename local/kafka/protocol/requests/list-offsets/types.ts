export type ListOffsetsRequest = {
  replicaId: number;
  isolationLevel: number;
  /** timestamp -1 = latest (high watermark), -2 = earliest (log start). */
  topics: { name: string; partitions: { partitionIndex: number; timestamp: bigint }[] }[];
};
export type ListOffsetsPartitionResponse = {
  partitionIndex: number;
  errorCode: number;
  timestamp: bigint;
  offset: bigint;
};
export type ListOffsetsResponse = {
  throttleTimeMs: number;
  topics: { name: string; partitions: ListOffsetsPartitionResponse[] }[];
};
