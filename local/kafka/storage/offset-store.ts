// Committed consumer offsets: a map in memory, optionally backed by an append-only journal
// (one line per change) so a commit acknowledged to the client survives a crash.
import type { OffsetStore } from "./types";

export type CommittedOffset = { offset: bigint; metadata: string | null };
export type OffsetEntry = CommittedOffset & { group: string; topic: string; partition: number };
/** A change to the map: a commit, or dropping a deleted topic's offsets (as Kafka does). */
export type OffsetChange = { commit: OffsetEntry } | { forgetTopic: string };

export interface OffsetJournal {
  /** Resolves once `change` is durable; `live` is every current entry, for compaction. */
  record(change: OffsetChange, live: () => OffsetEntry[]): Promise<void>;
  close(): Promise<void>;
}

const keyOf = (group: string, topic: string, partition: number) => `${group}\u0000${topic}\u0000${partition}`;

export class CommittedOffsets implements OffsetStore {
  private readonly byKey = new Map<string, OffsetEntry>();

  constructor(private readonly journal?: OffsetJournal) {}

  /** Changes the map only; replay uses it directly, live changes also go to the journal. */
  apply(change: OffsetChange): void {
    if ("commit" in change) {
      const entry = change.commit;
      this.byKey.set(keyOf(entry.group, entry.topic, entry.partition), entry);
      return;
    }
    for (const [key, entry] of this.byKey) if (entry.topic === change.forgetTopic) this.byKey.delete(key);
  }

  private async change(change: OffsetChange): Promise<void> {
    this.apply(change);
    await this.journal?.record(change, () => this.entries());
  }

  commit(...[group, topic, partition, offset, metadata]: Parameters<OffsetStore["commit"]>): Promise<void> {
    return this.change({ commit: { group, topic, partition, offset, metadata } });
  }

  forgetTopic(topic: string): Promise<void> {
    return this.change({ forgetTopic: topic });
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
