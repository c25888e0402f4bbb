export type ProduceRequest = {
  transactionalId: string | null;
  /** 0 = no response, 1 = leader, -1 = all in-sync replicas (the same here: one broker). */
  acks: number;
  timeoutMs: number;
  /** Records as received: one buffer, or the slices of the socket chunks they arrived in. */
  topics: { name: string; partitions: { index: number; records: Buffer | Buffer[] | null }[] }[];
};
export type ProducePartitionResponse = {
  index: number;
  errorCode: number;
  baseOffset: bigint;
  logAppendTimeMs: bigint;
  logStartOffset: bigint;
};
export type ProduceResponse = {
  topics: { name: string; partitions: ProducePartitionResponse[] }[];
  throttleTimeMs: number;
};
