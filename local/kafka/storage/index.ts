// The broker's log store: topics of partitions, committed offsets and retention, over a
// memory or file backend. `openLogStore({})` keeps everything in memory.
import type { StorageBackend } from "./backend";
import { openFileBackend } from "./file-backend";
import { MemoryBackend } from "./memory-backend";
import type { SegmentedPartitionLog } from "./partition-log";
import { resolveTopicConfig } from "./topic-config";
import type { LogStore, LogStoreOptions, OffsetStore, PartitionLog, TopicConfig, TopicMeta } from "./types";

export type * from "./types";

type Topic = { meta: TopicMeta; partitions: SegmentedPartitionLog[] };

/** Kafka's legal topic names; they double as directory names here. */
const SAFE_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export async function openLogStore(options: LogStoreOptions): Promise<LogStore> {
  const backend: StorageBackend =
    options.dataDir === undefined
      ? new MemoryBackend()
      : await openFileBackend(options.dataDir, options.flush);
  const store = new TopicStore(backend, options.defaults);
  await store.load();
  return store;
}

class TopicStore implements LogStore {
  private readonly byName = new Map<string, Topic>();
  /** Names being created: taken, but not visible until their partitions are open. */
  private readonly creating = new Set<string>();
  /** Topic changes rewrite topics.json; one at a time keeps the file in call order. */
  private catalogWrites: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly backend: StorageBackend,
    private readonly defaults: Partial<TopicConfig> | undefined,
  ) {}

  get offsets(): OffsetStore {
    return this.backend.offsets;
  }

  async load(): Promise<void> {
    for (const saved of this.backend.savedTopics) {
      // Fields added since the catalog was written take today's defaults.
      const meta = { ...saved, config: resolveTopicConfig(this.defaults, saved.config) };
      this.byName.set(meta.name, await this.openTopic(meta, false));
    }
  }

  private async openTopic(meta: TopicMeta, fresh: boolean): Promise<Topic> {
    const partitions: SegmentedPartitionLog[] = [];
    for (let p = 0; p < meta.partitions; p++) {
      partitions.push(await this.backend.openPartition(meta.name, p, () => meta.config, fresh));
    }
    return { meta, partitions };
  }

  async createTopic(name: string, partitions: number, config?: Partial<TopicConfig>): Promise<TopicMeta> {
    if (this.byName.has(name) || this.creating.has(name)) throw new Error(`topic ${name} already exists`);
    if (!SAFE_TOPIC_NAME.test(name) || name === "." || name === "..")
      throw new Error(`invalid topic name ${name}`);
    if (!Number.isInteger(partitions) || partitions < 1)
      throw new Error(`invalid partition count ${partitions}`);
    const meta: TopicMeta = { name, partitions, config: resolveTopicConfig(this.defaults, config) };
    this.creating.add(name);
    try {
      this.byName.set(name, await this.openTopic(meta, true));
    } finally {
      this.creating.delete(name);
    }
    await this.saveCatalog();
    return meta;
  }

  async addPartitions(name: string, partitions: number): Promise<TopicMeta> {
    const topic = this.existing(name);
    const { meta } = topic;
    if (!Number.isInteger(partitions) || partitions <= meta.partitions)
      throw new Error(`topic ${name} has ${meta.partitions} partitions, cannot change to ${partitions}`);
    // The partition logs read `meta.config` through a getter: the meta object stays the same.
    for (let p = meta.partitions; p < partitions; p++) {
      topic.partitions.push(await this.backend.openPartition(name, p, () => meta.config, true));
      meta.partitions = p + 1;
    }
    await this.saveCatalog();
    return meta;
  }

  async setTopicConfig(name: string, config: Partial<TopicConfig>): Promise<TopicMeta> {
    const { meta } = this.existing(name);
    meta.config = resolveTopicConfig(this.defaults, config);
    await this.saveCatalog();
    return meta;
  }

  private existing(name: string): Topic {
    const topic = this.byName.get(name);
    if (!topic) throw new Error(`unknown topic ${name}`);
    return topic;
  }

  async deleteTopic(name: string): Promise<void> {
    const topic = this.byName.get(name);
    if (!topic) return;
    this.byName.delete(name);
    await this.saveCatalog();
    await this.backend.offsets.forgetTopic(name);
    await Promise.all(topic.partitions.map((log, p) => this.backend.removePartition(name, p, log)));
  }

  private saveCatalog(): Promise<unknown> {
    // Each write stores the latest catalog, so one failure need not block the next.
    this.catalogWrites = this.catalogWrites
      .catch(() => {})
      .then(() => this.backend.saveTopics(this.topics()));
    return this.catalogWrites;
  }

  topics(): TopicMeta[] {
    return [...this.byName.values()].map((t) => t.meta);
  }

  topic(name: string): TopicMeta | undefined {
    return this.byName.get(name)?.meta;
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.byName.get(topic)?.partitions[partition];
  }

  async applyRetention(nowMs: number): Promise<void> {
    const logs = [...this.byName.values()].flatMap((t) => t.partitions);
    await Promise.all(logs.map((log) => log.applyRetention(nowMs)));
  }

  async close(): Promise<void> {
    await this.catalogWrites.catch(() => {});
    const logs = [...this.byName.values()].flatMap((t) => t.partitions);
    await Promise.all(logs.map((log) => log.close()));
    await this.backend.close();
  }
}
