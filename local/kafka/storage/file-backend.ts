// Durable backend: <dataDir>/topics.json, <dataDir>/<topic>-<partition>/ segment files,
// and the committed-offsets journal, all flushed through one group commit with the store's
// flush policy.
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomically } from "./atomic-file";
import type { StorageBackend } from "./backend";
import { syncDirectory } from "./file-byte-store";
import { GroupCommit } from "./group-commit";
import type { CommittedOffsets } from "./offset-store";
import { openOffsetsJournal } from "./offsets-journal";
import { SegmentedPartitionLog } from "./partition-log";
import { recoverPartition } from "./recovery";
import { createSegment } from "./segment-files";
import { syncScheduleFor } from "./sync-schedule";
import type { FlushPolicy, TopicConfig, TopicMeta } from "./types";

const TOPICS_FILE = "topics.json";
/** Written by close(); its absence at open means a crash, so every segment is verified. */
const CLEAN_SHUTDOWN_FILE = ".clean-shutdown";

export async function openFileBackend(dataDir: string, flush?: FlushPolicy): Promise<StorageBackend> {
  const syncs = syncScheduleFor(flush);
  await mkdir(dataDir, { recursive: true });
  const marker = join(dataDir, CLEAN_SHUTDOWN_FILE);
  const cleanShutdown = existsSync(marker);
  if (cleanShutdown) {
    // Gone before anything is written, so a crash from here on is seen as one.
    await rm(marker);
    await syncDirectory(dataDir);
  }
  const commits = new GroupCommit(syncs);
  const topicsPath = join(dataDir, TOPICS_FILE);
  const savedTopics: TopicMeta[] = existsSync(topicsPath) ? JSON.parse(readFileSync(topicsPath, "utf8")) : [];
  const offsets = await openOffsetsJournal(dataDir, commits);
  return new FileBackend(dataDir, commits, savedTopics, offsets, !cleanShutdown);
}

class FileBackend implements StorageBackend {
  constructor(
    private readonly dataDir: string,
    private readonly commits: GroupCommit,
    readonly savedTopics: TopicMeta[],
    readonly offsets: CommittedOffsets,
    private readonly afterCrash: boolean,
  ) {}

  private partitionDir(topic: string, partition: number): string {
    return join(this.dataDir, `${topic}-${partition}`);
  }

  async openPartition(topic: string, partition: number, config: () => TopicConfig, fresh: boolean) {
    const dir = this.partitionDir(topic, partition);
    // A crash between rewriting topics.json and deleting the files leaves them behind.
    if (fresh) await rm(dir, { recursive: true, force: true });
    return new SegmentedPartitionLog(
      recoverPartition(dir, this.commits, this.afterCrash),
      config,
      (baseOffset) => createSegment(dir, baseOffset, this.commits),
    );
  }

  async removePartition(topic: string, partition: number, log: SegmentedPartitionLog): Promise<void> {
    await log.remove();
    await rm(this.partitionDir(topic, partition), { recursive: true, force: true });
  }

  saveTopics(topics: TopicMeta[]): Promise<void> {
    return writeFileAtomically(join(this.dataDir, TOPICS_FILE), JSON.stringify(topics, null, 2));
  }

  /** Called after every partition is closed, so all data is on disk when the marker is. */
  async close(): Promise<void> {
    await this.offsets.close();
    await this.commits.syncs.close();
    await writeFileAtomically(join(this.dataDir, CLEAN_SHUTDOWN_FILE), "");
  }
}
