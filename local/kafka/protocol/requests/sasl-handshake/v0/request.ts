import type { Reader } from "../../../reader";
import type { SaslHandshakeRequest } from "../types";

/** SaslHandshake Request (Version: 0..1) => mechanism */
export const request = (r: Reader): SaslHandshakeRequest => ({ mechanism: r.string() });
