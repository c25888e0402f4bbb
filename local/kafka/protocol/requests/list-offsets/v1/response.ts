import type { Writer } from "../../../writer";
import type { ListOffsetsResponse } from "../types";

/** ListOffsets Response (Version: 1) => [topics]; partitions => partition_index error_code timestamp offset */
export const response = (w: Writer, res: ListOffsetsResponse) => {
  w.array(res.topics, (w, t) =>
    w.string(t.name).array(t.partitions, (w, p) => {
      w.int32(p.partitionIndex).int16(p.errorCode).int64(p.timestamp).int64(p.offset);
    }),
  );
};
