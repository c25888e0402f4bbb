// The committed-offsets journal: one line per commit, `<crc32c hex> <json>\n`, fsynced by
// the group commit before the commit is acknowledged. Opening replays it up to the first
// torn or corrupt line, then rewrites it with only the latest offset per key.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "./atomic-file";
import { crc32c } from "./crc32c";
import { FileByteStore } from "./file-byte-store";
import type { GroupCommit } from "./group-commit";
import { CommittedOffsets, type OffsetEntry } from "./offset-store";

const JOURNAL_FILE = "consumer-offsets.journal";

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

export async function openOffsetsJournal(dataDir: string, commits: GroupCommit): Promise<CommittedOffsets> {
  const path = join(dataDir, JOURNAL_FILE);
  const replayed = new CommittedOffsets(existsSync(path) ? decodeJournal(readFileSync(path, "utf8")) : []);
  await writeFileAtomically(path, Buffer.concat(replayed.entries().map(encodeEntry)));
  const store = new FileByteStore(path, commits, { durable: true, create: false });
  return new CommittedOffsets(replayed.entries(), { store, encode: encodeEntry });
}
