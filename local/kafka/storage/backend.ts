import type { CommittedOffsets } from "./offset-store";
import type { SegmentedPartitionLog } from "./partition-log";
import type { TopicConfig, TopicMeta } from "./types";

/** Where a log store keeps its data: memory, or files under a data dir. */
export interface StorageBackend {
  /** Topics persisted by an earlier run. */
  readonly savedTopics: TopicMeta[];
  readonly offsets: CommittedOffsets;
  openPartition(topic: string, partition: number, config: () => TopicConfig): Promise<SegmentedPartitionLog>;
  /** Deletes a closed partition's data. */
  removePartition(topic: string, partition: number, log: SegmentedPartitionLog): Promise<void>;
  saveTopics(topics: TopicMeta[]): Promise<void>;
  close(): Promise<void>;
}
