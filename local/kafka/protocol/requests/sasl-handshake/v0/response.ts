import type { Writer } from "../../../writer";
import type { SaslHandshakeResponse } from "../types";

/** SaslHandshake Response (Version: 0..1) => error_code [mechanisms] */
export const response = (w: Writer, res: SaslHandshakeResponse) => {
  w.int16(res.errorCode).array(res.mechanisms, (w, m) => w.string(m));
};
