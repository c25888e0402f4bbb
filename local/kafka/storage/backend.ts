import type { CommittedOffsets } from "./offset-store";
import type { SegmentedPartitionLog } from "./partition-log";
import type { TopicConfig, TopicMeta } from "./types";

/** Where a log store keeps its data: memory, or files under a data dir. */
export interface StorageBackend {
  /** Topics persisted by an earlier run. */
  readonly savedTopics: TopicMeta[];
  readonly offsets: CommittedOffsets;
  /** `fresh` for a topic being created: whatever a deleted namesake left behind is dropped. */
  openPartition(
    topic: string,
    partition: number,
    config: () => TopicConfig,
    fresh: boolean,
  ): Promise<SegmentedPartitionLog>;
  /** Deletes a closed partition's data. */
  removePartition(topic: string, partition: number, log: SegmentedPartitionLog): Promise<void>;
  saveTopics(topics: TopicMeta[]): Promise<void>;
  close(): Promise<void>;
}
