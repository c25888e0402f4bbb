// SASL/OAUTHBEARER token for MSK IAM authentication: a SigV4-presigned
// `kafka-cluster:Connect` request, base64url-encoded (the scheme the official
// aws-msk-iam-sasl-signer libraries implement). kafkajs calls the provider per connection.
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import type { OauthbearerProviderResponse, SASLOptions } from "kafkajs";

export type AwsCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const TOKEN_LIFETIME_SECONDS = 900;

/** Lambda puts the execution role's credentials in the environment. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsCredentials {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = env;
  if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) throw new Error("no AWS credentials in the environment");
  return {
    accessKeyId: AWS_ACCESS_KEY_ID,
    secretAccessKey: AWS_SECRET_ACCESS_KEY,
    sessionToken: AWS_SESSION_TOKEN,
  };
}

export async function mskIamToken(
  region: string,
  credentials: AwsCredentials,
  now: Date = new Date(),
): Promise<OauthbearerProviderResponse> {
  const hostname = `kafka.${region}.amazonaws.com`;
  const signer = new SignatureV4({
    service: "kafka-cluster",
    region,
    credentials,
    sha256: Hash.bind(null, "sha256"),
  });
  const signed = await signer.presign(
    {
      method: "GET",
      protocol: "https:",
      hostname,
      path: "/",
      headers: { host: hostname },
      query: { Action: "kafka-cluster:Connect" },
    },
    { expiresIn: TOKEN_LIFETIME_SECONDS, signingDate: now },
  );
  const query = Object.entries({ ...signed.query, "User-Agent": "payrail" })
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join("&");
  return { value: Buffer.from(`https://${hostname}/?${query}`, "utf8").toString("base64url") };
}

/**
 * kafkajs `sasl` settings for MSK IAM (use with `ssl: true`): a fresh token per
 * connection, signed with the credentials Lambda has in its environment at that moment.
 */
export function mskIamSasl(region: string, env: NodeJS.ProcessEnv = process.env): SASLOptions {
  return {
    mechanism: "oauthbearer",
    oauthBearerProvider: () => mskIamToken(region, credentialsFromEnv(env)),
  };
}
