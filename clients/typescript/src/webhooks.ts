// Verifying Payrail's webhook signatures on a partner's server (Node):
//   Payrail-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">[,v1=...]
// One v1 per active signing secret (two during a rotation). The HMAC key is the whole
// secret as shown ("whsec_..."). Comparisons are constant-time; the timestamp bounds replays.
import { createHmac, timingSafeEqual } from "node:crypto";

export type WebhookSignatureFailure =
  /** The header is missing or not `t=<digits>,v1=<64 hex>[,...]`. */
  | "malformed_header"
  /** No secret was given to verify with. */
  | "no_secrets"
  /** No v1 matches the body under any secret given: the body was changed, or it was signed with another secret. */
  | "signature_mismatch"
  /** The signature is valid but its timestamp is further than the tolerance from now: a replay, or a skewed clock. */
  | "timestamp_outside_tolerance";

export class WebhookSignatureError extends Error {
  override name = "WebhookSignatureError";
  constructor(
    readonly reason: WebhookSignatureFailure,
    message: string,
  ) {
    super(message);
  }
}

export type VerifiedWebhook = {
  /** The signature's timestamp, unix seconds. */
  timestamp: number;
  /** Index in `secrets` of the secret that verified (during a rotation: which one is still in use). */
  secretIndex: number;
};

export type VerifyOptions = {
  /** The current time in unix seconds; injectable for tests. */
  nowSeconds?: () => number;
};

type ParsedHeader = { timestamp: number; signatures: Buffer[] };

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

function parseHeader(header: string | null | undefined): ParsedHeader {
  const malformed = (why: string) =>
    new WebhookSignatureError("malformed_header", `Payrail-Signature header ${why}`);
  if (!header) throw malformed("is missing");
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const element of header.split(",")) {
    const at = element.indexOf("=");
    if (at < 0) throw malformed(`has an element without "=": ${JSON.stringify(element.slice(0, 20))}`);
    const key = element.slice(0, at).trim();
    const value = element.slice(at + 1).trim();
    if (key === "t") {
      if (timestamp !== undefined) throw malformed("has more than one t=");
      if (!/^\d{1,12}$/.test(value)) throw malformed("has a t= that is not unix seconds");
      timestamp = Number(value);
    } else if (key === "v1") {
      if (!HEX_SHA256.test(value)) throw malformed("has a v1= that is not 64 hex digits");
      signatures.push(Buffer.from(value, "hex"));
    }
    // Other schemes (a future v2) are skipped, so a receiver keeps working while they roll out.
  }
  if (timestamp === undefined) throw malformed("has no t=");
  if (signatures.length === 0) throw malformed("has no v1=");
  return { timestamp, signatures };
}

function expectedSignature(secret: string, timestamp: number, rawBody: string | Uint8Array): Buffer {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest();
}

/**
 * Checks that `rawBody` (exactly the bytes received, before any JSON parsing) was signed by
 * Payrail with one of `secrets` within `toleranceSeconds` of now. Returns the timestamp and
 * which secret matched; throws WebhookSignatureError with a `reason` otherwise.
 */
export function verifyWebhookSignature(
  rawBody: string | Uint8Array,
  header: string | null | undefined,
  secrets: string | readonly string[],
  toleranceSeconds = 300,
  options: VerifyOptions = {},
): VerifiedWebhook {
  const { timestamp, signatures } = parseHeader(header);
  const keys = typeof secrets === "string" ? [secrets] : secrets;
  if (keys.length === 0 || keys.some((key) => key.length === 0))
    throw new WebhookSignatureError("no_secrets", "no (or an empty) webhook signing secret was given");
  let secretIndex = -1;
  for (const [index, secret] of keys.entries()) {
    const expected = expectedSignature(secret, timestamp, rawBody);
    // Every candidate is compared, so the time taken does not tell which one matched.
    for (const signature of signatures)
      if (timingSafeEqual(signature, expected) && secretIndex < 0) secretIndex = index;
  }
  if (secretIndex < 0)
    throw new WebhookSignatureError(
      "signature_mismatch",
      "no v1 signature matches the body under the given secrets: the body was changed (verify the raw bytes, before parsing) or signed with another secret",
    );
  const now = options.nowSeconds?.() ?? Math.floor(Date.now() / 1000);
  const skew = Math.abs(now - timestamp);
  if (skew > toleranceSeconds)
    throw new WebhookSignatureError(
      "timestamp_outside_tolerance",
      `the signature is ${skew} s from now, over the ${toleranceSeconds} s tolerance: a replay or a skewed clock`,
    );
  return { timestamp, secretIndex };
}
