// Reads the deployment-relevant parts of config/ (the same files the local stack uses).
// Parsing is defensive: a missing or malformed field fails synth with the file and field
// named, so a config mistake never turns into a half-built cloud.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export type StartingPosition = "LATEST" | "TRIM_HORIZON";

export type ConsumerConfig = {
  name: string;
  /** Repo-relative handler module, e.g. `consumers/risk/handler.ts`. */
  handler: string;
  topics: string[];
  batchSize: number;
  batchWindowSeconds: number;
  startingPosition: StartingPosition;
  retries: number;
  reservedConcurrency: number;
};

export type PipelineConfig = {
  retentionMs: number;
  /** Partition ranges in config order: each payment type owns `partitions` contiguous partitions. */
  paymentTypes: { type: string; partitions: number }[];
  topics: string[];
  consumers: ConsumerConfig[];
};

export type TenantConfig = { id: string; region: string };

export type RegionConfig = { id: string };

export type PayrailConfig = { pipeline: PipelineConfig; tenants: TenantConfig[]; regions: RegionConfig[] };

type Yaml = Record<string, unknown>;

const DAY_MS = 86_400_000;

class ConfigError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "ConfigError";
  }
}

function readYaml(file: string): Yaml {
  const parsed: unknown = parse(readFileSync(file, "utf8"));
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(file, "expected a YAML mapping at the top level");
  }
  return parsed as Yaml;
}

function text(file: string, value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0)
    throw new ConfigError(file, `${field} must be a string`);
  return value;
}

function count(file: string, value: unknown, field: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(file, `${field} must be a non-negative integer`);
  }
  return value;
}

function list(file: string, value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new ConfigError(file, `${field} must be a list`);
  return value;
}

/** Accepts `{ CARD: 4 }` or `[{ type: CARD, partitions: 4 }]`: both keep the config order. */
function paymentTypes(file: string, value: unknown): PipelineConfig["paymentTypes"] {
  if (Array.isArray(value)) {
    return value.map((entry, i) => {
      const item = (entry ?? {}) as Yaml;
      return {
        type: text(file, item.type ?? item.paymentType, `paymentTypes[${i}].type`),
        partitions: count(file, item.partitions, `paymentTypes[${i}].partitions`),
      };
    });
  }
  if (value && typeof value === "object") {
    return Object.entries(value as Yaml).map(([type, partitions]) => ({
      type,
      partitions: count(
        file,
        typeof partitions === "object" ? (partitions as Yaml).partitions : partitions,
        type,
      ),
    }));
  }
  throw new ConfigError(file, "paymentTypes (partition ranges per payment type) is missing");
}

function retentionMs(file: string, doc: Yaml): number {
  if (doc.retentionMs !== undefined) return count(file, doc.retentionMs, "retentionMs");
  return count(file, doc.retentionDays, "retentionDays", 30) * DAY_MS;
}

function startingPosition(file: string, value: unknown, field: string): StartingPosition {
  const position = value ?? "TRIM_HORIZON";
  if (position === "LATEST" || position === "TRIM_HORIZON") return position;
  if (position === "EARLIEST") return "TRIM_HORIZON";
  throw new ConfigError(file, `${field} must be LATEST or TRIM_HORIZON`);
}

function consumer(file: string, entry: unknown, i: number): ConsumerConfig {
  const item = (entry ?? {}) as Yaml;
  const at = `consumers[${i}]`;
  const name = text(file, item.name, `${at}.name`);
  const batch = (item.batch ?? {}) as Yaml;
  return {
    name,
    handler:
      item.handler === undefined ? `consumers/${name}/handler.ts` : text(file, item.handler, `${at}.handler`),
    topics: list(file, item.topics, `${at}.topics`).map((t, j) => text(file, t, `${at}.topics[${j}]`)),
    batchSize: count(file, item.batchSize ?? batch.size, `${at}.batchSize`, 100),
    batchWindowSeconds: count(
      file,
      item.batchWindowSeconds ?? batch.windowSeconds,
      `${at}.batchWindowSeconds`,
      1,
    ),
    startingPosition: startingPosition(file, item.startingPosition, `${at}.startingPosition`),
    retries: count(file, item.retries, `${at}.retries`, 3),
    reservedConcurrency: count(file, item.reservedConcurrency, `${at}.reservedConcurrency`, 2),
  };
}

export function loadPipeline(file: string): PipelineConfig {
  const doc = readYaml(file);
  const consumers = list(file, doc.consumers, "consumers").map((c, i) => consumer(file, c, i));
  const declared = doc.topics === undefined ? [] : list(file, doc.topics, "topics");
  const topics = declared.map((t, i) =>
    typeof t === "string" ? t : text(file, (t as Yaml | null)?.name, `topics[${i}].name`),
  );
  // Every topic a consumer reads exists even when `topics` leaves it out.
  for (const c of consumers) for (const t of c.topics) if (!topics.includes(t)) topics.push(t);
  return {
    retentionMs: retentionMs(file, doc),
    paymentTypes: paymentTypes(file, doc.paymentTypes),
    topics,
    consumers,
  };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort()
    .map((f) => join(dir, f));
}

const baseName = (file: string) => (file.split("/").pop() ?? file).replace(/\.ya?ml$/, "");

export function loadTenants(dir: string): TenantConfig[] {
  return yamlFiles(dir).map((file) => {
    const doc = readYaml(file);
    return { id: text(file, doc.id ?? baseName(file), "id"), region: text(file, doc.region, "region") };
  });
}

export function loadRegions(dir: string): RegionConfig[] {
  return yamlFiles(dir).map((file) => ({ id: text(file, readYaml(file).id ?? baseName(file), "id") }));
}

export function loadConfig(configDir: string): PayrailConfig {
  return {
    pipeline: loadPipeline(join(configDir, "pipeline.yaml")),
    tenants: loadTenants(join(configDir, "tenants")),
    regions: loadRegions(join(configDir, "regions")),
  };
}
