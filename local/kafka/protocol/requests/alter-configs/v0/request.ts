import type { Reader } from "../../../reader";
import type { AlterConfigsRequest } from "../types";

/**
 * AlterConfigs Request (Version: 0..1) => [resources] validate_only
 *   resources => resource_type resource_name [configs]; configs => name value
 */
export const request = (r: Reader): AlterConfigsRequest => ({
  resources: r.array((r) => ({
    resourceType: r.int8(),
    resourceName: r.string(),
    configs: r.array((r) => ({ name: r.string(), value: r.nullableString() })),
  })),
  validateOnly: r.boolean(),
});
