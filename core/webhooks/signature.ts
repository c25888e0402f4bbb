// The `Payrail-Signature` header a partner verifies (docs/webhooks.md):
// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, one `v1=` per secret that
// is active, so a receiver holding either the old or the new secret verifies during a rotation.
import { createHmac, randomBytes } from "node:crypto";

export const WEBHOOK_HEADERS = {
  signature: "Payrail-Signature",
  eventId: "Payrail-Event-Id",
  eventType: "Payrail-Event-Type",
  attempt: "Payrail-Delivery-Attempt",
} as const;

const SECRET_PREFIX = "whsec_";

/** A new signing secret: `whsec_` + 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** Hex HMAC-SHA256 of `<t>.<body>` under one secret. */
export function signPayload(secret: string, timestampSeconds: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
}

/** The header value for `body` at `timestampSeconds`, signed with every secret given (newest first). */
export function signatureHeader(secrets: readonly string[], timestampSeconds: number, body: string): string {
  if (secrets.length === 0) throw new Error("a webhook needs at least one signing secret");
  const signatures = secrets.map((secret) => `v1=${signPayload(secret, timestampSeconds, body)}`);
  return [`t=${timestampSeconds}`, ...signatures].join(",");
}
