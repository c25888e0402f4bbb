export type MetadataRequest = {
  /** null = every topic. */
  topics: string[] | null;
  allowAutoTopicCreation: boolean;
};
export type MetadataBroker = { nodeId: number; host: string; port: number; rack: string | null };
export type MetadataPartition = {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  replicaNodes: number[];
  isrNodes: number[];
  offlineReplicas: number[];
};
export type MetadataTopic = {
  errorCode: number;
  name: string;
  isInternal: boolean;
  partitions: MetadataPartition[];
};
export type MetadataResponse = {
  throttleTimeMs: number;
  brokers: MetadataBroker[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataTopic[];
};
