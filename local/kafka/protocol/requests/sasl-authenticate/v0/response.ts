import type { Writer } from "../../../writer";
import type { SaslAuthenticateResponse } from "../types";

/** SaslAuthenticate Response (Version: 0) => error_code error_message auth_bytes */
export const response = (w: Writer, res: SaslAuthenticateResponse) => {
  w.int16(res.errorCode).nullableString(res.errorMessage).bytes(res.authBytes);
};
