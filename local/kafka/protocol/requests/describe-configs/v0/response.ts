import type { Writer } from "../../../writer";
import type { DescribeConfigsEntry, DescribeConfigsResponse } from "../types";

export const responseWith =
  (entry: (w: Writer, c: DescribeConfigsEntry) => void) => (w: Writer, res: DescribeConfigsResponse) => {
    w.int32(res.throttleTimeMs);
    w.array(res.results, (w, r) => {
      w.int16(r.errorCode).nullableString(r.errorMessage).int8(r.resourceType).string(r.resourceName);
      w.array(r.configs, entry);
    });
  };

/**
 * DescribeConfigs Response (Version: 0) => throttle_time_ms [results]
 *   results => error_code error_message resource_type resource_name [configs]
 *     configs => name value read_only is_default is_sensitive
 */
export const response = responseWith((w, c) => {
  w.string(c.name).nullableString(c.value).boolean(c.readOnly).boolean(c.isDefault).boolean(c.isSensitive);
});
