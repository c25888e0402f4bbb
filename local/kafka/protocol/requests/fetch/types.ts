export type FetchPartitionRequest = {
  partition: number;
  currentLeaderEpoch: number;
  fetchOffset: bigint;
  logStartOffset: bigint;
  partitionMaxBytes: number;
};
export type FetchRequest = {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  /** 0 = read uncommitted, 1 = read committed (identical here: no transactions). */
  isolationLevel: number;
  sessionId: number;
  sessionEpoch: number;
  topics: { topic: string; partitions: FetchPartitionRequest[] }[];
  forgottenTopics: { topic: string; partitions: number[] }[];
  rackId: string;
};
export type FetchPartitionResponse = {
  partition: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  abortedTransactions: { producerId: bigint; firstOffset: bigint }[];
  preferredReadReplica: number;
  /** Stored batches written back to back; an empty list is sent as empty, never null. */
  records: Buffer[];
};
export type FetchResponse = {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  responses: { topic: string; partitions: FetchPartitionResponse[] }[];
};
