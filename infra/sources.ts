// Loads what the stacks are generated from, all relative to one repository root: the
// YAML config, the API definition (rebased onto that root) and the event schemas.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { payrailApi } from "../api/definition";
import { loadConfig } from "./config";
import type { PayrailSources } from "./payrail-app";
import type { EventSchema } from "./stacks/catalog-stack";

/** core/events exports every registered event schema version; absent until it exists. */
async function loadEventSchemas(root: string): Promise<EventSchema[]> {
  const module = join(root, "core/events/index.ts");
  if (!existsSync(module)) return [];
  const exported = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
  const schemas = exported.EVENT_SCHEMAS ?? exported.eventSchemas;
  if (!Array.isArray(schemas))
    throw new Error("core/events must export EVENT_SCHEMAS: {type, version, schema}[]");
  return schemas as EventSchema[];
}

export async function loadSources(root: string): Promise<PayrailSources> {
  return {
    config: loadConfig(join(root, "config")),
    api: { ...payrailApi, baseDir: root },
    eventSchemas: await loadEventSchemas(root),
  };
}
