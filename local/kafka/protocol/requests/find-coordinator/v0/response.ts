import type { Writer } from "../../../writer";
import type { FindCoordinatorResponse } from "../types";

/** FindCoordinator Response (Version: 0) => error_code node_id host port */
export const response = (w: Writer, res: FindCoordinatorResponse) => {
  w.int16(res.errorCode).int32(res.nodeId).string(res.host).int32(res.port);
};
