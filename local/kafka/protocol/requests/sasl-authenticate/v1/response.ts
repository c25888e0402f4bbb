import type { Writer } from "../../../writer";
import type { SaslAuthenticateResponse } from "../types";
import { response as v0 } from "../v0/response";

/** SaslAuthenticate Response (Version: 1) => error_code error_message auth_bytes session_lifetime_ms */
export const response = (w: Writer, res: SaslAuthenticateResponse) => {
  v0(w, res);
  w.int64(res.sessionLifetimeMs);
};
