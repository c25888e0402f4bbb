import type { Reader } from "../../../reader";
import type { FindCoordinatorRequest } from "../types";

/** FindCoordinator Request (Version: 1..2) => key key_type */
export const request = (r: Reader): FindCoordinatorRequest => ({ key: r.string(), keyType: r.int8() });
