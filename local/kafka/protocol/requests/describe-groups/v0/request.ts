import type { Reader } from "../../../reader";
import type { DescribeGroupsRequest } from "../types";

/** DescribeGroups Request (Version: 0..2) => [groups] */
export const request = (r: Reader): DescribeGroupsRequest => ({ groups: r.array((r) => r.string()) });
