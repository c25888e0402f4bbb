// Credentials for one tenant's data on AWS. Execution roles hold no tenant permissions:
// a service assumes PAYRAIL_TENANT_ROLE_ARN with `{tenant}` replaced by the tenant of the
// request (identity) or record (key), so IAM, not code, keeps tenants apart. Each
// tenant's credentials are reused until shortly before they expire.
import { AssumeRoleCommand, type AssumeRoleCommandOutput } from "@aws-sdk/client-sts";
import { TENANT_ID } from "../../core/config/patterns";

export const TENANT_PLACEHOLDER = "{tenant}";

/** Structurally the SDK's AwsCredentialIdentity. */
export type Credentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
};
export type CredentialsProvider = () => Promise<Credentials>;

/** The part of an STSClient this module uses, so tests can stand in for STS. */
export type StsSender = { send(command: AssumeRoleCommand): Promise<AssumeRoleCommandOutput> };

export type TenantCredentialsOptions = {
  /** PAYRAIL_TENANT_ROLE_ARN, e.g. `arn:aws:iam::123:role/payrail-prod-{tenant}-risk`. */
  roleArnTemplate: string;
  /** Called once, on the first tenant that needs credentials. */
  createSts: () => StsSender;
  /** Names the service in CloudTrail: `<service>-<tenant>`. */
  service: string;
  /** Credentials closer than this to expiry are renewed (default 5 min). */
  refreshBeforeMs?: number;
  now?: () => number;
};

const DEFAULT_REFRESH_BEFORE_MS = 5 * 60_000;
// AssumeRole's RoleSessionName: at most 64 of [\w+=,.@-].
const sessionName = (service: string, tenantId: string) =>
  `${service}-${tenantId}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);

export function tenantRoleArn(template: string, tenantId: string): string {
  if (!template.includes(TENANT_PLACEHOLDER)) {
    throw new Error(`PAYRAIL_TENANT_ROLE_ARN must contain ${TENANT_PLACEHOLDER}`);
  }
  // A tenant id is never anything but a plain name, so it cannot widen or redirect the ARN.
  if (!TENANT_ID.test(tenantId)) throw new Error("not a valid tenant id");
  return template.replaceAll(TENANT_PLACEHOLDER, tenantId);
}

/** One provider per tenant (the same object on every call), each caching its credentials. */
export function tenantCredentials(
  options: TenantCredentialsOptions,
): (tenantId: string) => CredentialsProvider {
  const refreshBeforeMs = options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
  const now = options.now ?? Date.now;
  let sts: StsSender | undefined;
  const providers = new Map<string, CredentialsProvider>();

  const assume = async (tenantId: string): Promise<Credentials> => {
    sts ??= options.createSts();
    const { Credentials: issued } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: tenantRoleArn(options.roleArnTemplate, tenantId),
        RoleSessionName: sessionName(options.service, tenantId),
      }),
    );
    if (!issued?.AccessKeyId || !issued.SecretAccessKey || !issued.SessionToken || !issued.Expiration) {
      throw new Error(`STS returned no credentials for tenant ${tenantId}`);
    }
    return {
      accessKeyId: issued.AccessKeyId,
      secretAccessKey: issued.SecretAccessKey,
      sessionToken: issued.SessionToken,
      expiration: issued.Expiration,
    };
  };

  const providerFor = (tenantId: string): CredentialsProvider => {
    let cached: Credentials | undefined;
    let pending: Promise<Credentials> | undefined;
    return async () => {
      if (cached?.expiration && cached.expiration.getTime() - now() > refreshBeforeMs) return cached;
      // Concurrent callers share one AssumeRole; a failure is not remembered.
      pending ??= assume(tenantId).then(
        (issued) => {
          cached = issued;
          pending = undefined;
          return issued;
        },
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      );
      return pending;
    };
  };

  return (tenantId) => {
    let provider = providers.get(tenantId);
    if (!provider) {
      tenantRoleArn(options.roleArnTemplate, tenantId);
      provider = providerFor(tenantId);
      providers.set(tenantId, provider);
    }
    return provider;
  };
}
