export type FindCoordinatorRequest = {
  key: string;
  /** 0 = group, 1 = transaction. */
  keyType: number;
};
export type FindCoordinatorResponse = {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
};
