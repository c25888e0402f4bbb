import type { Reader } from "../../../reader";
import type { FetchRequest } from "../types";
import { request as v9 } from "../v9/request";

/** Fetch Request (Version: 11) => v9 fields + rack_id */
export const request = (r: Reader): FetchRequest => ({ ...v9(r), rackId: r.string() });
