export type DeleteTopicsRequest = { topicNames: string[]; timeoutMs: number };
export type DeleteTopicsResponse = {
  throttleTimeMs: number;
  responses: { name: string; errorCode: number }[];
};
