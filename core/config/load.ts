import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { RoutingConfig, RoutingTable } from "../routing/types";
import { ConfigError } from "./fields";
import { type PipelineConfig, parsePipelineConfig } from "./pipeline";
import { parseProcessorsConfig } from "./processors";
import { parseRegionConfig, type RegionConfig } from "./region";
import { parseRoutingTable } from "./routing";
import { parseTenantConfig, type TenantConfig, tenantDocument } from "./tenant";

export type PayrailConfig = {
  regions: ReadonlyMap<string, RegionConfig>;
  tenants: ReadonlyMap<string, TenantConfig>;
  pipeline: PipelineConfig;
  /** Processors' personalities and the routing tables of tenants and regions. */
  routing: RoutingConfig;
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

async function yamlFilesIfAny(dir: string): Promise<string[]> {
  try {
    return await yamlFiles(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * `config/processors.yaml` and `config/routing/{tenants,regions}/<id>.yaml`, each routing
 * file belonging to a known tenant or region.
 */
export async function loadRouting(
  configDir: string,
  regions: ReadonlyMap<string, RegionConfig>,
  tenants: ReadonlyMap<string, TenantConfig>,
): Promise<RoutingConfig> {
  const file = join(configDir, "processors.yaml");
  const { personalities, breaker } = parseProcessorsConfig(await readYaml(file), file);
  const tables = async (source: "tenant" | "region", known: ReadonlyMap<string, unknown>) => {
    const byId = new Map<string, RoutingTable>();
    for (const path of await yamlFilesIfAny(join(configDir, "routing", `${source}s`))) {
      const table = parseRoutingTable(await readYaml(path), path, source, personalities);
      if (!known.has(table.id)) throw new ConfigError(path, "", `no ${source} named ${table.id}`);
      byId.set(table.id, table);
    }
    return byId;
  };
  return {
    personalities,
    breaker,
    tenants: await tables("tenant", tenants),
    regions: await tables("region", regions),
  };
}

/** Loads and cross-checks `config/` (regions, tenants, pipeline, processors and routing). */
export async function loadConfig(configDir = "config"): Promise<PayrailConfig> {
  const regions = await loadRegions(configDir);
  const tenants = await loadTenants(configDir, regions);
  return {
    regions,
    tenants,
    pipeline: await loadPipeline(configDir),
    routing: await loadRouting(configDir, regions, tenants),
  };
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
