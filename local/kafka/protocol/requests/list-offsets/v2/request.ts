import type { Reader } from "../../../reader";
import type { ListOffsetsRequest } from "../types";
import { topics } from "../v1/request";

/** ListOffsets Request (Version: 2..3) => replica_id isolation_level [topics] */
export const request = (r: Reader): ListOffsetsRequest => ({
  replicaId: r.int32(),
  isolationLevel: r.int8(),
  topics: topics(r),
});
