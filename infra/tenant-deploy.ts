// Deploys a new tenant, for `payrail tenant create --deploy`: the tenant's config file
// must already be written, since the CDK app builds one TenantStack per
// config/tenants/*.yaml. Deployed: the tenant's stack, then the stacks that carry config
// (the services bundle config/ and read tenant limits from it; the catalog enumerates
// tenants for Athena). Streaming and other tenants' stacks are left alone.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TENANT_ID } from "../core/config/patterns";
import { stackName, tenantStackName } from "./naming";

export type TenantDeployOptions = {
  tenantId: string;
  envName: string;
  /** Repository root holding cdk.json; defaults to this checkout. */
  root?: string;
  /** Extra `-c key=value` context (e.g. payrail:oidcIssuer). */
  context?: Record<string, string>;
  /** The executable and leading arguments that run the CDK CLI; `npx cdk` unless overridden. */
  cdk?: string[];
};

/** Stacks whose content depends on the set of tenants. */
const CONFIG_STACKS = ["Catalog", "Api", "Services"];

export function tenantDeployCommand(options: TenantDeployOptions): string[] {
  if (!TENANT_ID.test(options.tenantId))
    // The config loader's pattern: an id it accepts can be deployed (name lengths are checked at synth).
    throw new Error(`invalid tenant id ${JSON.stringify(options.tenantId)}: must match ${TENANT_ID}`);
  const context = Object.entries({ "payrail:env": options.envName, ...options.context }).flatMap(([k, v]) => [
    "-c",
    `${k}=${v}`,
  ]);
  return [
    ...(options.cdk ?? ["npx", "cdk"]),
    "deploy",
    tenantStackName(options.envName, options.tenantId),
    ...CONFIG_STACKS.map((stack) => stackName(options.envName, stack)),
    "--exclusively",
    "--require-approval",
    "never",
    ...context,
  ];
}

/** Runs the deployment with inherited stdio; resolves when `cdk deploy` succeeds. */
export function deployTenantStack(options: TenantDeployOptions): Promise<void> {
  const [command, ...args] = tenantDeployCommand(options);
  const cwd = options.root ?? fileURLToPath(new URL("..", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${args.slice(0, 3).join(" ")} failed (${signal ?? `exit ${code}`})`));
    });
  });
}
