import type { Reader } from "../../../reader";
import type { DescribeConfigsRequest } from "../types";
import { resources } from "../v0/request";

/** DescribeConfigs Request (Version: 1..2) => [resources] include_synonyms */
export const request = (r: Reader): DescribeConfigsRequest => ({
  resources: resources(r),
  includeSynonyms: r.boolean(),
});
