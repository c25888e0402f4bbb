// Deployment settings from CDK context (`cdk.json` or `-c key=value`), validated once.
import type { Node } from "constructs";

export type MskMode = "serverless" | "provisioned";

export type CustomDomain = { domainName: string; certificateArn: string };

export type PayrailSettings = {
  /** Environment name, the prefix of every table, bucket and role (`dev`, `prod`). */
  envName: string;
  /** Repository root: config/, consumers/, resolvers/ and schema.graphql are read from here. */
  root: string;
  msk: MskMode;
  /** Broker storage autoscaling ceiling (GiB), provisioned MSK only. */
  mskMaxStorageGiB: number;
  customDomain?: CustomDomain;
  oidc: { issuer: string; clientId?: string };
  /** Subscribed to the alarm topic when set. */
  alarmEmail?: string;
};

export const CONTEXT = {
  env: "payrail:env",
  msk: "payrail:msk",
  mskMaxStorageGiB: "payrail:mskMaxStorageGiB",
  domainName: "payrail:domainName",
  certificateArn: "payrail:certificateArn",
  oidcIssuer: "payrail:oidcIssuer",
  oidcClientId: "payrail:oidcClientId",
  alarmEmail: "payrail:alarmEmail",
} as const;

const ENV_NAME = /^[a-z][a-z0-9]{1,11}$/;

function optionalString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new Error(`context ${key} must be a string`);
  return value;
}

export function settingsFromContext(node: Node, root: string): PayrailSettings {
  const envName = optionalString(node, CONTEXT.env) ?? "dev";
  if (!ENV_NAME.test(envName))
    throw new Error(`context ${CONTEXT.env}=${envName}: use 2-12 lower-case letters/digits`);

  const msk = optionalString(node, CONTEXT.msk) ?? "serverless";
  if (msk !== "serverless" && msk !== "provisioned") {
    throw new Error(`context ${CONTEXT.msk}=${msk}: use serverless or provisioned`);
  }

  const domainName = optionalString(node, CONTEXT.domainName);
  const certificateArn = optionalString(node, CONTEXT.certificateArn);
  if (Boolean(domainName) !== Boolean(certificateArn)) {
    throw new Error(`a custom domain needs both ${CONTEXT.domainName} and ${CONTEXT.certificateArn}`);
  }

  const issuer = optionalString(node, CONTEXT.oidcIssuer);
  if (!issuer?.startsWith("https://"))
    throw new Error(`context ${CONTEXT.oidcIssuer} must be an https:// issuer URL`);

  // MSK's broker storage ranges from 1 GiB to 16 TiB; autoscaling grows it up to this ceiling.
  const maxStorage = Number(node.tryGetContext(CONTEXT.mskMaxStorageGiB) ?? 1000);
  if (!Number.isInteger(maxStorage) || maxStorage < 100 || maxStorage > 16_384) {
    throw new Error(`context ${CONTEXT.mskMaxStorageGiB} must be an integer between 100 and 16384`);
  }
  return {
    envName,
    root,
    msk,
    mskMaxStorageGiB: maxStorage,
    ...(domainName && certificateArn ? { customDomain: { domainName, certificateArn } } : {}),
    oidc: { issuer, clientId: optionalString(node, CONTEXT.oidcClientId) },
    alarmEmail: optionalString(node, CONTEXT.alarmEmail),
  };
}
