import type { Reader } from "../../../reader";
import type { ListGroupsRequest } from "../types";

/** ListGroups Request (Version: 0..2) => (empty) */
export const request = (_r: Reader): ListGroupsRequest => ({});
