import type { Reader } from "../../../reader";
import type { SaslAuthenticateRequest } from "../types";

/** SaslAuthenticate Request (Version: 0..1) => auth_bytes */
export const request = (r: Reader): SaslAuthenticateRequest => ({ authBytes: r.bytes() });
