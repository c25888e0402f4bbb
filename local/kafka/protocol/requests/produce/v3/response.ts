import type { Writer } from "../../../writer";
import type { ProducePartitionResponse, ProduceResponse } from "../types";

type PartitionEncoder = (w: Writer, p: ProducePartitionResponse) => void;

/** partition_responses => index error_code base_offset log_append_time_ms */
const partitionV3: PartitionEncoder = (w, p) => {
  w.int32(p.index).int16(p.errorCode).int64(p.baseOffset).int64(p.logAppendTimeMs);
};

export const responseWith = (partition: PartitionEncoder) => (w: Writer, res: ProduceResponse) => {
  w.array(res.topics, (w, t) => w.string(t.name).array(t.partitions, partition));
  w.int32(res.throttleTimeMs);
};

/** Produce Response (Version: 3..4) => [responses] throttle_time_ms; responses => name [partition_responses] */
export const response = responseWith(partitionV3);
export { partitionV3 };
