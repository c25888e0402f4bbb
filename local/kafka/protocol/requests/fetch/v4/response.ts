import type { Writer } from "../../../writer";
import type { FetchPartitionResponse, FetchResponse } from "../types";

export type PartitionEncoder = (w: Writer, p: FetchPartitionResponse) => void;

export const aborted = (w: Writer, p: FetchPartitionResponse) => {
  w.array(p.abortedTransactions, (w, a) => w.int64(a.producerId).int64(a.firstOffset));
};

export const responsesWith = (partition: PartitionEncoder) => (w: Writer, res: FetchResponse) => {
  w.array(res.responses, (w, t) => w.string(t.topic).array(t.partitions, partition));
};

/** partitions => partition error_code high_watermark last_stable_offset [aborted_transactions] records */
const partitionV4: PartitionEncoder = (w, p) => {
  w.int32(p.partition).int16(p.errorCode).int64(p.highWatermark).int64(p.lastStableOffset);
  aborted(w, p);
  w.records(p.records);
};

/** Fetch Response (Version: 4) => throttle_time_ms [responses]; responses => topic [partitions] */
export const response = (w: Writer, res: FetchResponse) => {
  w.int32(res.throttleTimeMs);
  responsesWith(partitionV4)(w, res);
};
