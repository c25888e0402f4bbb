import type { Reader } from "../../../reader";
import { type PartitionDecoder, requestWith } from "../v4/request";

/** partitions => partition fetch_offset log_start_offset partition_max_bytes */
export const partitionV5: PartitionDecoder = (r: Reader) => ({
  partition: r.int32(),
  currentLeaderEpoch: -1,
  fetchOffset: r.int64(),
  logStartOffset: r.int64(),
  partitionMaxBytes: r.int32(),
});

/** Fetch Request (Version: 5..6): partitions gain log_start_offset. */
export const request = requestWith(partitionV5);
