import type { Reader } from "../../../reader";
import type { FindCoordinatorRequest } from "../types";

/** FindCoordinator Request (Version: 0) => key (a group id) */
export const request = (r: Reader): FindCoordinatorRequest => ({ key: r.string(), keyType: 0 });
