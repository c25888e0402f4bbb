import type { Writer } from "../../../writer";
import type { AlterConfigsResponse } from "../types";

/**
 * AlterConfigs Response (Version: 0..1) => throttle_time_ms [responses]
 *   responses => error_code error_message resource_type resource_name
 */
export const response = (w: Writer, res: AlterConfigsResponse) => {
  w.int32(res.throttleTimeMs);
  w.array(res.responses, (w, r) =>
    w.int16(r.errorCode).nullableString(r.errorMessage).int8(r.resourceType).string(r.resourceName),
  );
};
