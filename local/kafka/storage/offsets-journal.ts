// The committed-offsets journal: one line per commit, `<crc32c hex> <json>\n`, fsynced by
// the group commit before the commit is acknowledged. Opening replays it up to the first
// torn or corrupt line, then rewrites it with only the latest offset per key, as it does
// again whenever the file has grown well past that.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "./atomic-file";
import { crc32c } from "./crc32c";
import { FileByteStore } from "./file-byte-store";
import type { GroupCommit } from "./group-commit";
import { CommittedOffsets, type OffsetEntry, type OffsetJournal } from "./offset-store";

const JOURNAL_FILE = "consumer-offsets.journal";
const MIN_COMPACT_BYTES = 1024 * 1024;
const GROWTH_BEFORE_COMPACTION = 8;

type Line = [group: string, topic: string, partition: number, offset: string, metadata: string | null];

function encodeEntry(e: OffsetEntry): Buffer {
  const json = JSON.stringify([
    e.group,
    e.topic,
    e.partition,
    e.offset.toString(),
    e.metadata,
  ] satisfies Line);
  const crc = crc32c(Buffer.from(json)).toString(16).padStart(8, "0");
  return Buffer.from(`${crc} ${json}\n`);
}

function* decodeJournal(content: string): Generator<OffsetEntry> {
  const lines = content.split("\n");
  lines.pop(); // after the last newline: empty, or a line torn mid-write
  for (const line of lines) {
    const json = line.slice(9);
    if (line.slice(0, 8) !== crc32c(Buffer.from(json)).toString(16).padStart(8, "0")) return;
    const [group, topic, partition, offset, metadata] = JSON.parse(json) as Line;
    yield { group, topic, partition, offset: BigInt(offset), metadata };
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

  async record(entry: OffsetEntry, live: () => OffsetEntry[]): Promise<void> {
    // Nothing may be appended to the file being replaced.
    while (this.compaction) await this.compaction;
    const durable = this.store.append(encodeEntry(entry));
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
    const content = Buffer.concat(snapshot.map(encodeEntry));
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
  const replayed = new CommittedOffsets(existsSync(path) ? decodeJournal(readFileSync(path, "utf8")) : []);
  await writeFileAtomically(path, Buffer.concat(replayed.entries().map(encodeEntry)));
  const store = new FileByteStore(path, commits, { durable: true, create: false });
  return new CommittedOffsets(replayed.entries(), new FileOffsetJournal(path, commits, store));
}
