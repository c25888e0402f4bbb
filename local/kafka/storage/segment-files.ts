// On-disk segments: <dir>/<20-digit base offset>.log with its .index and .timeindex.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { FileByteStore } from "./file-byte-store";
import type { GroupCommit } from "./group-commit";
import { Segment } from "./segment";
import { SparseIndex } from "./sparse-index";

const LOG = ".log";
const INDEX = ".index";
const TIME_INDEX = ".timeindex";

const fileStem = (dir: string, baseOffset: bigint) => join(dir, baseOffset.toString().padStart(20, "0"));

/** A new, empty active segment; its directory entry becomes durable with its first append. */
export function createSegment(dir: string, baseOffset: bigint, commits: GroupCommit): Segment {
  const stem = fileStem(dir, baseOffset);
  const open = (suffix: string, durable: boolean) =>
    new FileByteStore(stem + suffix, commits, { durable, create: true });
  const segment = new Segment(baseOffset, {
    log: open(LOG, true),
    offsetIndex: open(INDEX, false),
    timeIndex: open(TIME_INDEX, false),
  });
  return segment;
}

/** Base offsets of the segments in `dir`, oldest first; index files without a log go. */
export function listSegments(dir: string): bigint[] {
  const names = readdirSync(dir);
  const logs = new Set(names.filter((n) => n.endsWith(LOG)).map((n) => n.slice(0, -LOG.length)));
  for (const name of names) {
    const stem = name.replace(/\.(index|timeindex)$/, "");
    if (stem !== name && !logs.has(stem)) rmSync(join(dir, name), { force: true });
  }
  return [...logs]
    .filter((stem) => /^\d{20}$/.test(stem))
    .map(BigInt)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Opens a stored segment. After a clean shutdown it trusts what of its index is consistent
 * and checks the batches after the last entry; after a crash (`verifyAll`) unsynced writes
 * may have reached the disk in any order, so every batch is checked and the index rebuilt.
 */
export function openSegment(
  dir: string,
  baseOffset: bigint,
  commits: GroupCommit,
  verifyAll: boolean,
): { segment: Segment; torn: boolean } {
  const stem = fileStem(dir, baseOffset);
  const log = new FileByteStore(stem + LOG, commits, { durable: true, create: false });
  const offsetBytes = verifyAll ? Buffer.alloc(0) : readIfPresent(stem + INDEX);
  const timeBytes = verifyAll ? Buffer.alloc(0) : readIfPresent(stem + TIME_INDEX);
  let index = SparseIndex.decode(offsetBytes, timeBytes, log.size);
  const last = index.last();
  if (last && !startsBatchAt(log.read(last.position, 8), baseOffset + BigInt(last.relativeOffset))) {
    index = new SparseIndex(); // stale: it points at batches that are not there
  }
  const exact = offsetBytes.length === index.length * 8 && timeBytes.length === index.length * 12;
  const open = (suffix: string) =>
    new FileByteStore(stem + suffix, commits, { durable: false, create: !exact });
  const segment = new Segment(
    baseOffset,
    { log, offsetIndex: open(INDEX), timeIndex: open(TIME_INDEX) },
    index,
    exact ? index.length : 0,
  );
  return { segment, torn: segment.recoverTail() };
}

/** Deletes a segment's files while opening, before any handle to them exists. */
export function deleteSegmentFiles(dir: string, baseOffset: bigint): void {
  const stem = fileStem(dir, baseOffset);
  for (const suffix of [LOG, INDEX, TIME_INDEX]) rmSync(stem + suffix, { force: true });
}

function readIfPresent(path: string): Buffer {
  return existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
}

function startsBatchAt(head: Buffer, offset: bigint): boolean {
  return head.length === 8 && head.readBigInt64BE(0) === offset;
}
