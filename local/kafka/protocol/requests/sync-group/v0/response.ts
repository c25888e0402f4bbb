import type { Writer } from "../../../writer";
import type { SyncGroupResponse } from "../types";

/** SyncGroup Response (Version: 0) => error_code assignment */
export const response = (w: Writer, res: SyncGroupResponse) => {
  w.int16(res.errorCode).bytes(res.assignment);
};
