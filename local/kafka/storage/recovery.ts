// Opening a partition directory after a clean stop or a crash.
import { mkdirSync } from "node:fs";
import type { GroupCommit } from "./group-commit";
import type { Segment } from "./segment";
import { createSegment, deleteSegmentFiles, listSegments, openSegment } from "./segment-files";

/**
 * The partition's segments, oldest first. A segment whose tail is torn, or whose offsets do
 * not follow on from the previous one, ends the log: everything after it was never
 * acknowledged (acks come after fsync, in order), so it is deleted.
 */
export function recoverPartition(dir: string, commits: GroupCommit, verifyAll: boolean): Segment[] {
  mkdirSync(dir, { recursive: true });
  const segments: Segment[] = [];
  let ended = false;
  for (const baseOffset of listSegments(dir)) {
    const previous = segments.at(-1);
    if (ended || (previous && previous.nextOffset !== baseOffset)) {
      ended = true;
      deleteSegmentFiles(dir, baseOffset);
      continue;
    }
    const { segment, torn } = openSegment(dir, baseOffset, commits, verifyAll);
    segments.push(segment);
    ended = torn;
  }
  if (segments.length === 0) segments.push(createSegment(dir, 0n, commits));
  for (const sealed of segments.slice(0, -1)) void sealed.sealIndexFiles();
  return segments;
}
