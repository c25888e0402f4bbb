// Opaque `nextToken`s: the store's paging cursor, sealed with AES-256-GCM and bound (as
// authenticated data) to the tenant and the filter. A token from another tenant, or
// one edited or reused with another filter, fails to open and is refused.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { validationError } from "../../core/errors";
import { canonicalJson } from "../api/idempotent";

const binding = (tenantId: string, filter: unknown) =>
  Buffer.from(`${tenantId}\n${canonicalJson(filter ?? {})}`);

export function sealPageToken(key: Buffer, tenantId: string, filter: unknown, cursor: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(binding(tenantId, filter));
  const body = Buffer.concat([cipher.update(cursor, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

export function openPageToken(key: Buffer, tenantId: string, filter: unknown, token: string): string {
  try {
    const raw = Buffer.from(token, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12)).setAAD(
      binding(tenantId, filter),
    );
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    throw validationError("nextToken", "is not a token this query returned");
  }
}
