// `payrail tenant create <id> --region <r> [--name <n>] [--deploy]`: writes
// config/tenants/<id>.yaml through core (validated against the region), provisions the
// tenant on the running local stack (tables, bucket, API token) and, with --deploy,
// deploys its tenant stack to AWS. A running stack reads config at start, so its
// consumers know the new tenant after the next `npm start`.
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { payrailApi } from "../api/definition";
import { dynamoDbClient, s3Client } from "../consumers/platform/aws";
import { loadConfig, type TenantConfig, writeTenantConfig } from "../core/config";
import { EVENT_SCHEMAS } from "../core/events";
import { checkNameLimits } from "../infra/name-limits";
import { deployTenantStack } from "../infra/tenant-deploy";
import { provisionTenant } from "../local/provisioning";
import { ENV } from "../local/start";
import { readLocalStack } from "./local-stack";

export type TenantArgs = {
  action: string;
  id?: string;
  region?: string;
  name?: string;
  deploy: boolean;
  config?: string;
  data?: string;
  envName?: string;
};

export function newTenantConfig(id: string, region: string, name = id): TenantConfig {
  return {
    id,
    name,
    region,
    // No tenant-specific amount limits: the region's apply until the tenant's file sets some.
    limits: { reviewThresholdMinor: {}, maxAmountMinor: {}, velocity: { maxCount: 20, windowSeconds: 3600 } },
    idempotencyTtlHours: 24,
    ordering: "tenant",
    blockedCurrencies: [],
    blockedCountries: [],
    scopes: {
      partner: ["payments:read", "payments:write"],
      admin: ["payments:read", "payments:write", "payments:review", "webhooks:manage"],
      viewer: ["payments:read"],
    },
  };
}

/** Every AWS name the app would derive with the new tenant fits its limit (infra/name-limits.ts). */
async function checkTenantNames(configDir: string, envName: string, tenant: TenantConfig): Promise<void> {
  const config = await loadConfig(configDir);
  checkNameLimits(envName, {
    config: { ...config, tenants: new Map([...config.tenants, [tenant.id, tenant]]) },
    api: payrailApi,
    eventSchemas: EVENT_SCHEMAS,
  });
}

export async function tenantCommand(args: TenantArgs, out: (line: string) => void): Promise<number> {
  if (args.action !== "create" || !args.id || !args.region) {
    out("usage: payrail tenant create <id> --region <region> [--name <name>] [--deploy]");
    return 2;
  }
  const tenant = newTenantConfig(args.id, args.region, args.name);
  const configDir = resolve(args.config ?? "config");
  const envName = args.envName ?? process.env.PAYRAIL_ENV ?? "dev";
  // Before the file is written: a name AWS would refuse must not leave a tenant half-added.
  if (args.deploy) await checkTenantNames(configDir, envName, tenant);
  const file = await writeTenantConfig(configDir, tenant);
  out(`wrote ${file}`);

  const dataDir = resolve(args.data ?? ".payrail");
  const stack = await readLocalStack(dataDir);
  if (stack) {
    const provisioned = await provisionTenant(tenant, {
      env: ENV,
      dynamodb: dynamoDbClient({ endpoint: stack.endpoints.dynamodb }),
      s3: s3Client({ endpoint: stack.endpoints.s3 }),
    });
    out(
      `provisioned ${tenant.id} locally: bucket ${provisioned.bucket}, tables ${Object.values(provisioned.tables).join(", ")}`,
    );
    if (provisioned.apiToken) {
      out(`API token (shown once): ${provisioned.apiToken}`);
      // Kept with the others so the next `npm start` prints it again.
      stack.tenants[tenant.id] = {
        region: tenant.region,
        bucket: provisioned.bucket,
        apiToken: provisioned.apiToken,
      };
      await writeFile(join(dataDir, "local.json"), `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });
    }
  } else {
    out("no local stack running: the tenant is provisioned at the next `npm start`");
  }
  if (args.deploy) {
    await deployTenantStack({
      tenantId: tenant.id,
      envName,
    });
    out(`deployed the tenant stack of ${tenant.id}`);
  }
  return 0;
}
