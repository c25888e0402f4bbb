import type { Writer } from "../../../writer";
import type { OffsetCommitResponse } from "../types";

/** OffsetCommit Response (Version: 2) => [topics]; topics => name [partitions]; partitions => partition_index error_code */
export const response = (w: Writer, res: OffsetCommitResponse) => {
  w.array(res.topics, (w, t) =>
    w.string(t.name).array(t.partitions, (w, p) => w.int32(p.partitionIndex).int16(p.errorCode)),
  );
};
