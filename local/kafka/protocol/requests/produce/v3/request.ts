import type { Reader } from "../../../reader";
import type { ProduceRequest } from "../types";

/**
 * Produce Request (Version: 3..7) => transactional_id acks timeout_ms [topic_data]
 *   topic_data => name [partition_data]
 *     partition_data => index records (RECORDS: nullable bytes holding v2 record batches)
 * The records stay slices of the frame as received (see Reader.rawPieces): never copied.
 */
export const request = (r: Reader): ProduceRequest => ({
  transactionalId: r.nullableString(),
  acks: r.int16(),
  timeoutMs: r.int32(),
  topics: r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ index: r.int32(), records: r.nullableBytesOrPieces() })),
  })),
});
