// `payrail tenant delete <id> [--purge] [--aws]`: revokes the tenant's tokens and disables it
// in the control plane (its tokens get Unauthorized within the authorizer's 5 s cache), removes
// config/tenants/<id>.yaml, and keeps its tables and bucket for the retention period unless
// --purge (local stack only). With --aws the AWS control plane `<env>-payrail-control` is used
// (default AWS credentials); the tenant stack's data stays until `cdk destroy` of TenantStack.
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { dynamoDbControlPlane } from "../consumers/persistence/dynamodb/control-plane";
import { documentClient, dynamoDbClient, s3Client } from "../consumers/platform/aws";
import { TENANT_ID } from "../core/config/patterns";
import { controlPlaneTable, tenantBucket, tenantTables } from "../core/storage/tables";
import { provisionControlPlane } from "../local/provisioning";
import { purgeTenantData } from "../local/provisioning/purge";
import { ENV } from "../local/start";
import { readLocalStack } from "./local-stack";

export type TenantDeleteArgs = {
  id: string;
  purge: boolean;
  aws: boolean;
  config?: string;
  data?: string;
  envName?: string;
};

export async function tenantDelete(args: TenantDeleteArgs, out: (line: string) => void): Promise<number> {
  // The id names a file to remove: nothing but a tenant id may reach the path.
  if (!TENANT_ID.test(args.id)) {
    out(`tenant id "${args.id}" must match ${TENANT_ID}`);
    return 2;
  }
  const at = new Date().toISOString();
  if (args.aws) {
    if (args.purge) {
      out(
        "--purge works on the local stack only; on AWS the data goes with `cdk destroy` of the tenant stack",
      );
      return 2;
    }
    const envName = args.envName ?? process.env.PAYRAIL_ENV ?? "dev";
    const controlPlane = dynamoDbControlPlane(documentClient(), controlPlaneTable(envName));
    if (!(await controlPlane.disableTenant(args.id, at))) {
      out(`tenant ${args.id} is not provisioned in ${envName}`);
      return 1;
    }
    out(`disabled ${args.id} in ${envName}: its API tokens are revoked`);
  } else {
    const stack = await readLocalStack(resolve(args.data ?? ".payrail"));
    if (!stack) {
      out("no local stack running: start it (npm start), or pass --aws");
      return 1;
    }
    const env = args.envName ?? ENV;
    const target = {
      env,
      dynamodb: dynamoDbClient({ endpoint: stack.endpoints.dynamodb }),
      s3: s3Client({ endpoint: stack.endpoints.s3 }),
    };
    const controlPlane = await provisionControlPlane(target);
    const tenant = await controlPlane.getTenant(args.id);
    if (!tenant || !(await controlPlane.disableTenant(args.id, at))) {
      out(`tenant ${args.id} is not provisioned`);
      return 1;
    }
    out(`disabled ${args.id}: its API tokens are revoked`);
    const tables = Object.values(tenantTables(env, args.id));
    const bucket = tenantBucket(env, args.id, tenant.region);
    if (args.purge) {
      const deleted = await purgeTenantData(target, tables, bucket);
      out(`purged ${deleted.join(", ") || "nothing (already gone)"}`);
    } else {
      out(`kept its data for the retention period: bucket ${bucket}, tables ${tables.join(", ")}`);
    }
  }
  const configDir = resolve(args.config ?? "config");
  const file = join(configDir, "tenants", `${args.id}.yaml`);
  await rm(file, { force: true });
  out(`removed ${file}`);
  // Its routing rules go with it: a routing file without its tenant fails config loading.
  const routing = join(configDir, "routing", "tenants", `${args.id}.yaml`);
  await rm(routing, { force: true });
  return 0;
}
