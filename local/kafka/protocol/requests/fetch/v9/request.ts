import type { Reader } from "../../../reader";
import type { PartitionDecoder } from "../v4/request";
import { requestWith } from "../v7/request";

/** partitions => partition current_leader_epoch fetch_offset log_start_offset partition_max_bytes */
export const partitionV9: PartitionDecoder = (r: Reader) => ({
  partition: r.int32(),
  currentLeaderEpoch: r.int32(),
  fetchOffset: r.int64(),
  logStartOffset: r.int64(),
  partitionMaxBytes: r.int32(),
});

/** Fetch Request (Version: 9..10): partitions gain current_leader_epoch. */
export const request = requestWith(partitionV9);
