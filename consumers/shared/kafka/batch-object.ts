// Names S3 objects written per partition batch after the first record they hold: a
// redelivered batch restarts at the same committed offset, so it rewrites its own object
// rather than adding a second copy of the same records.
import type { MSKRecord } from "../msk-event";

export function batchObjectKey(prefix: string, first: MSKRecord, extension: string): string {
  return `${prefix}/${first.topic}-${first.partition}-${String(first.offset).padStart(12, "0")}.${extension}`;
}

/** Groups items by `groupOf`, remembering each group's first item (for its object key). */
export function groupInOrder<T>(items: readonly T[], groupOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = groupOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
