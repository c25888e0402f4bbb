// Names S3 objects written per partition batch after the first record they hold: a
// redelivered batch restarts at the same committed offset, so it rewrites its own object
// rather than adding a second copy of the same records.
import type { MSKRecord } from "../platform/msk-event";

export function batchObjectKey(prefix: string, first: MSKRecord, extension: string): string {
  return `${prefix}/${first.topic}-${first.partition}-${String(first.offset).padStart(12, "0")}.${extension}`;
}
