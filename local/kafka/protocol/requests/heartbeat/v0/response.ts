import type { Writer } from "../../../writer";

/** Heartbeat / LeaveGroup Response (Version: 0) => error_code */
export const response = (w: Writer, res: { errorCode: number }) => {
  w.int16(res.errorCode);
};
