import type { Reader } from "../../../reader";
import type { OffsetCommitRequest } from "../types";

export const topics = (r: Reader): OffsetCommitRequest["topics"] =>
  r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({
      partitionIndex: r.int32(),
      committedOffset: r.int64(),
      committedMetadata: r.nullableString(),
    })),
  }));

/**
 * OffsetCommit Request (Version: 2..4) => group_id generation_id member_id retention_time_ms [topics]
 *   topics => name [partitions]; partitions => partition_index committed_offset committed_metadata
 * retention_time_ms is ignored: committed offsets are kept until the group is deleted.
 */
export const request = (r: Reader): OffsetCommitRequest => {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  r.int64();
  return { groupId, generationId, memberId, topics: topics(r) };
};
