// Name-based UUIDs (RFC 4122 version 5 layout over SHA-1): the same name always gives the
// same id. Used where an id must survive redelivery and restarts — the event a consumer
// emits for a given cause, and schema version ids.
import { createHash } from "node:crypto";

export function derivedUuid(namespace: string, name: string): string {
  const hash = createHash("sha1").update(`${namespace}/${name}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
