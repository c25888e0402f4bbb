import type { Writer } from "../../../writer";
import type { FindCoordinatorResponse } from "../types";

/** FindCoordinator Response (Version: 1..2) => throttle_time_ms error_code error_message node_id host port */
export const response = (w: Writer, res: FindCoordinatorResponse) => {
  w.int32(res.throttleTimeMs).int16(res.errorCode).nullableString(res.errorMessage);
  w.int32(res.nodeId).string(res.host).int32(res.port);
};
