export type CreateTopicsRequest = {
  topics: {
    name: string;
    /** -1 = broker default. */
    numPartitions: number;
    replicationFactor: number;
    assignments: { partitionIndex: number; brokerIds: number[] }[];
    configs: { name: string; value: string | null }[];
  }[];
  timeoutMs: number;
  validateOnly: boolean;
};
export type CreateTopicsResponse = {
  throttleTimeMs: number;
  topics: { name: string; errorCode: number; errorMessage: string | null }[];
};
