import type { Reader } from "../../../reader";
import type { DescribeConfigsRequest } from "../types";

export const resources = (r: Reader): DescribeConfigsRequest["resources"] =>
  r.array((r) => ({
    resourceType: r.int8(),
    resourceName: r.string(),
    configurationKeys: r.nullableArray((r) => r.string()),
  }));

/** DescribeConfigs Request (Version: 0) => [resources]; resources => resource_type resource_name [configuration_keys] */
export const request = (r: Reader): DescribeConfigsRequest => ({
  resources: resources(r),
  includeSynonyms: false,
});
