export type CreatePartitionsRequest = {
  topics: { name: string; count: number; assignments: number[][] | null }[];
  timeoutMs: number;
  validateOnly: boolean;
};
export type CreatePartitionsResponse = {
  throttleTimeMs: number;
  results: { name: string; errorCode: number; errorMessage: string | null }[];
};
