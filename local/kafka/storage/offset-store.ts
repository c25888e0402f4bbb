// Committed consumer offsets: a map in memory, optionally backed by an append-only journal
// (one line per commit) so a commit acknowledged to the client survives a crash.
import type { OffsetStore } from "./types";

export type CommittedOffset = { offset: bigint; metadata: string | null };
export type OffsetEntry = CommittedOffset & { group: string; topic: string; partition: number };

export interface OffsetJournal {
  /** Resolves once `entry` is durable; `live` is every current entry, for compaction. */
  record(entry: OffsetEntry, live: () => OffsetEntry[]): Promise<void>;
  close(): Promise<void>;
}

const keyOf = (group: string, topic: string, partition: number) => `${group}\u0000${topic}\u0000${partition}`;

export class CommittedOffsets implements OffsetStore {
  private readonly byKey = new Map<string, OffsetEntry>();

  constructor(
    entries: Iterable<OffsetEntry> = [],
    private readonly journal?: OffsetJournal,
  ) {
    for (const entry of entries) this.byKey.set(keyOf(entry.group, entry.topic, entry.partition), entry);
  }

  async commit(
    group: string,
    topic: string,
    partition: number,
    offset: bigint,
    metadata: string | null,
  ): Promise<void> {
    const entry = { group, topic, partition, offset, metadata };
    this.byKey.set(keyOf(group, topic, partition), entry);
    await this.journal?.record(entry, () => this.entries());
  }

  fetch(group: string, topic: string, partition: number): CommittedOffset | undefined {
    const entry = this.byKey.get(keyOf(group, topic, partition));
    return entry && { offset: entry.offset, metadata: entry.metadata };
  }

  groups(): string[] {
    return [...new Set([...this.byKey.values()].map((e) => e.group))];
  }

  entries(): OffsetEntry[] {
    return [...this.byKey.values()];
  }

  async close(): Promise<void> {
    await this.journal?.close();
  }
}
