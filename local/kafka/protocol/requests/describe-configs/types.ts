export type DescribeConfigsRequest = {
  /** resource_type 2 = topic, 4 = broker. */
  resources: { resourceType: number; resourceName: string; configurationKeys: string[] | null }[];
  includeSynonyms: boolean;
};
export type DescribeConfigsEntry = {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  /** 1 = dynamic topic config, 5 = default (v1+). */
  configSource: number;
  isSensitive: boolean;
};
export type DescribeConfigsResponse = {
  throttleTimeMs: number;
  results: {
    errorCode: number;
    errorMessage: string | null;
    resourceType: number;
    resourceName: string;
    configs: DescribeConfigsEntry[];
  }[];
};
