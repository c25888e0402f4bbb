// Keys for the vault, payload hashes, page tokens, payer fingerprints and webhook secrets, derived (HKDF) from one secret:
// PAYRAIL_SECRET (Secrets Manager on AWS). Only a local stack (endpoint override set)
// may run without it, on a fixed development secret.
import { hkdfSync } from "node:crypto";

export type Secrets = {
  vaultKey: Buffer;
  payloadHashSecret: string;
  pageTokenKey: Buffer;
  /** Keys the payer fingerprint risk counts velocity by (core's cardFingerprint). */
  fingerprintSecret: string;
  /** Seals webhook signing secrets at rest (they must be read back to sign, so cannot be hashed). */
  webhookSecretKey: Buffer;
};

type Env = Record<string, string | undefined>;

const LOCAL_ONLY_SECRET = "payrail-local-development-secret";

function derive(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "payrail", purpose, 32));
}

export function deriveSecrets(secret: string): Secrets {
  return {
    vaultKey: derive(secret, "vault"),
    payloadHashSecret: derive(secret, "payload-hash").toString("base64url"),
    pageTokenKey: derive(secret, "page-token"),
    fingerprintSecret: derive(secret, "payer-fingerprint").toString("base64url"),
    webhookSecretKey: derive(secret, "webhook-secret"),
  };
}

export function secretsFromEnv(env: Env = process.env): Secrets {
  const secret = env.PAYRAIL_SECRET ?? (env.AWS_ENDPOINT_URL_DYNAMODB ? LOCAL_ONLY_SECRET : undefined);
  if (!secret) throw new Error("PAYRAIL_SECRET is not set");
  return deriveSecrets(secret);
}
