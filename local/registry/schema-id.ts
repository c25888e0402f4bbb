// Schema version ids are name-based UUIDs (RFC 4122 version 5 layout over SHA-1) of
// "<type>:<version>", so they are the same on every start and every machine without
// coordination, like Glue's schema version ids are stable once registered.
import { createHash } from "node:crypto";

const NAMESPACE = "payrail-event-schema";

export function schemaVersionId(type: string, version: number): string {
  const hash = createHash("sha1").update(`${NAMESPACE}/${type}:${version}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
