// The committed-offsets journal: one line per change, `<crc32c hex> <json>\n`, fsynced by
// the group commit before the commit is acknowledged. Opening replays it up to the first
// torn or corrupt line, then rewrites it with only the latest offset per key, as it does
// again whenever the file has grown well past that.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { crc32c } from "../protocol/crc32c";
import { writeFileAtomically } from "./atomic-file";
import { FileByteStore } from "./file-byte-store";
import type { GroupCommit } from "./group-commit";
import { CommittedOffsets, type OffsetChange, type OffsetEntry, type OffsetJournal } from "./offset-store";

const JOURNAL_FILE = "consumer-offsets.journal";
const MIN_COMPACT_BYTES = 1024 * 1024;
const GROWTH_BEFORE_COMPACTION = 8;

type Line =
  | [kind: "c", group: string, topic: string, partition: number, offset: string, metadata: string | null]
  | [kind: "d", topic: string];

const checksum = (json: string) => crc32c(Buffer.from(json)).toString(16).padStart(8, "0");

function encodeChange(change: OffsetChange): Buffer {
  const line: Line =
    "commit" in change
      ? [
          "c",
          change.commit.group,
          change.commit.topic,
          change.commit.partition,
          change.commit.offset.toString(),
          change.commit.metadata,
        ]
      : ["d", change.forgetTopic];
  const json = JSON.stringify(line);
  return Buffer.from(`${checksum(json)} ${json}\n`);
}

const encodeEntries = (entries: OffsetEntry[]) =>
  Buffer.concat(entries.map((commit) => encodeChange({ commit })));

function* decodeJournal(content: string): Generator<OffsetChange> {
  const lines = content.split("\n");
  lines.pop(); // after the last newline: empty, or a line torn mid-write
  for (const text of lines) {
    const json = text.slice(9);
    if (text.slice(0, 8) !== checksum(json)) return;
    const line = JSON.parse(json) as Line;
    if (line[0] === "d") yield { forgetTopic: line[1] };
    else {
      const [, group, topic, partition, offset, metadata] = line;
      yield { commit: { group, topic, partition, offset: BigInt(offset), metadata } };
    }
  }
}

/** Appends commits; rewrites the file with only live entries once it has grown enough. */
class FileOffsetJournal implements OffsetJournal {
  private compaction: Promise<void> | undefined;
  private compactAt: number;

  constructor(
    private readonly path: string,
    private readonly commits: GroupCommit,
    private store: FileByteStore,
  ) {
    this.compactAt = Math.max(MIN_COMPACT_BYTES, store.size * GROWTH_BEFORE_COMPACTION);
  }

  async record(change: OffsetChange, live: () => OffsetEntry[]): Promise<void> {
    // Nothing may be appended to the file being replaced.
    while (this.compaction) await this.compaction;
    const durable = this.store.append(encodeChange(change));
    if (this.store.size >= this.compactAt) {
      this.compaction = this.compact(live()).finally(() => {
        this.compaction = undefined;
      });
    }
    await durable;
  }

  /** The snapshot holds every entry appended so far, so the old file can simply go. */
  private async compact(snapshot: OffsetEntry[]): Promise<void> {
    await this.store.close();
    const content = encodeEntries(snapshot);
    await writeFileAtomically(this.path, content);
    this.store = new FileByteStore(this.path, this.commits, { durable: true, create: false });
    this.compactAt = Math.max(MIN_COMPACT_BYTES, content.length * GROWTH_BEFORE_COMPACTION);
  }

  async close(): Promise<void> {
    while (this.compaction) await this.compaction;
    await this.store.close();
  }
}

export async function openOffsetsJournal(dataDir: string, commits: GroupCommit): Promise<CommittedOffsets> {
  const path = join(dataDir, JOURNAL_FILE);
  const replayed = new CommittedOffsets();
  if (existsSync(path))
    for (const change of decodeJournal(readFileSync(path, "utf8"))) replayed.apply(change);
  await writeFileAtomically(path, encodeEntries(replayed.entries()));
  const store = new FileByteStore(path, commits, { durable: true, create: false });
  const offsets = new CommittedOffsets(new FileOffsetJournal(path, commits, store));
  for (const commit of replayed.entries()) offsets.apply({ commit });
  return offsets;
}
