import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { ConfigError } from "./fields";
import { type PipelineConfig, parsePipelineConfig } from "./pipeline";
import { parseRegionConfig, type RegionConfig } from "./region";
import { parseTenantConfig, type TenantConfig, tenantDocument } from "./tenant";

export type PayrailConfig = {
  regions: ReadonlyMap<string, RegionConfig>;
  tenants: ReadonlyMap<string, TenantConfig>;
  pipeline: PipelineConfig;
};

export async function readYaml(file: string): Promise<unknown> {
  const text = await readFile(file, "utf8");
  try {
    return parse(text);
  } catch (error) {
    throw new ConfigError(file, "", `is not valid YAML (${(error as Error).message.split("\n")[0]})`);
  }
}

async function yamlFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((name) => name.endsWith(".yaml"))
    .sort()
    .map((name) => join(dir, name));
}

export async function loadRegions(configDir: string): Promise<Map<string, RegionConfig>> {
  const regions = new Map<string, RegionConfig>();
  for (const file of await yamlFiles(join(configDir, "regions"))) {
    const region = parseRegionConfig(await readYaml(file), file);
    regions.set(region.id, region);
  }
  return regions;
}

/** A tenant must live in a known region and set limits only in that region's currencies. */
function checkTenantAgainstRegion(
  tenant: TenantConfig,
  regions: ReadonlyMap<string, RegionConfig>,
  file: string,
) {
  const region = regions.get(tenant.region);
  if (!region)
    throw new ConfigError(
      file,
      "region",
      `unknown region "${tenant.region}" (no config/regions/${tenant.region}.yaml)`,
    );
  for (const kind of ["reviewThresholdMinor", "maxAmountMinor"] as const) {
    for (const currency of Object.keys(tenant.limits[kind])) {
      if (!region.currencies.includes(currency)) {
        throw new ConfigError(
          file,
          `limits.${kind}.${currency}`,
          `region ${region.id} does not offer ${currency}`,
        );
      }
    }
  }
}

export async function loadTenants(
  configDir: string,
  regions: ReadonlyMap<string, RegionConfig>,
): Promise<Map<string, TenantConfig>> {
  const tenants = new Map<string, TenantConfig>();
  for (const file of await yamlFiles(join(configDir, "tenants"))) {
    const tenant = parseTenantConfig(await readYaml(file), file);
    checkTenantAgainstRegion(tenant, regions, file);
    tenants.set(tenant.id, tenant);
  }
  return tenants;
}

export async function loadPipeline(configDir: string): Promise<PipelineConfig> {
  const file = join(configDir, "pipeline.yaml");
  return parsePipelineConfig(await readYaml(file), file);
}

/** Loads and cross-checks `config/` (regions, tenants, pipeline). */
export async function loadConfig(configDir = "config"): Promise<PayrailConfig> {
  const regions = await loadRegions(configDir);
  const tenants = await loadTenants(configDir, regions);
  return { regions, tenants, pipeline: await loadPipeline(configDir) };
}

/**
 * Creates `config/tenants/<id>.yaml` for `payrail tenant create`. Validates first (the
 * same rules as loading, against the known regions) and never overwrites an existing tenant.
 */
export async function writeTenantConfig(configDir: string, tenant: TenantConfig): Promise<string> {
  const dir = join(configDir, "tenants");
  const file = join(dir, `${tenant.id}.yaml`);
  const document = tenantDocument(tenant);
  checkTenantAgainstRegion(parseTenantConfig(document, file), await loadRegions(configDir), file);
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(file, stringify(document), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      throw new ConfigError(file, "id", `tenant ${tenant.id} already exists`);
    throw error;
  }
  return file;
}
