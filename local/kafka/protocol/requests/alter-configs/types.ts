export type AlterConfigsRequest = {
  resources: {
    resourceType: number;
    resourceName: string;
    configs: { name: string; value: string | null }[];
  }[];
  validateOnly: boolean;
};
export type AlterConfigsResponse = {
  throttleTimeMs: number;
  responses: { errorCode: number; errorMessage: string | null; resourceType: number; resourceName: string }[];
};
