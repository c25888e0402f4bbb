import type { Writer } from "../../../writer";
import type { OffsetFetchPartition, OffsetFetchResponse } from "../types";

type PartitionEncoder = (w: Writer, p: OffsetFetchPartition) => void;

export const topicsWith = (partition: PartitionEncoder) => (w: Writer, res: OffsetFetchResponse) => {
  w.array(res.topics, (w, t) => w.string(t.name).array(t.partitions, partition));
};

/** OffsetFetch Response (Version: 1) => [topics]; partitions => partition_index committed_offset metadata error_code */
export const response = topicsWith((w, p) => {
  w.int32(p.partitionIndex).int64(p.committedOffset).nullableString(p.metadata).int16(p.errorCode);
});
