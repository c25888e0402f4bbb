import type { StorageBackend } from "./backend";
import { MemoryByteStore } from "./byte-store";
import { CommittedOffsets } from "./offset-store";
import { SegmentedPartitionLog } from "./partition-log";
import { Segment } from "./segment";
import type { TopicConfig } from "./types";

const memorySegment = (baseOffset: bigint) => new Segment(baseOffset, { log: new MemoryByteStore() });

export class MemoryBackend implements StorageBackend {
  readonly savedTopics = [];
  readonly offsets = new CommittedOffsets();

  async openPartition(_topic: string, _partition: number, config: () => TopicConfig) {
    return new SegmentedPartitionLog([memorySegment(0n)], config, memorySegment);
  }

  async removePartition(_topic: string, _partition: number, log: SegmentedPartitionLog): Promise<void> {
    await log.remove();
  }

  async saveTopics(): Promise<void> {}

  async close(): Promise<void> {}
}
