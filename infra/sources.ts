// Loads what the stacks are generated from, all relative to one repository root: the
// config (core/config, as the local stack loads it), the API definition (rebased onto
// that root) and every registered event schema version.
import { join } from "node:path";
import { payrailApi } from "../api/definition";
import { loadConfig } from "../core/config";
import { EVENT_SCHEMAS } from "../core/events";
import type { PayrailSources } from "./payrail-app";

export async function loadSources(root: string): Promise<PayrailSources> {
  return {
    config: await loadConfig(join(root, "config")),
    api: { ...payrailApi, baseDir: root },
    eventSchemas: EVENT_SCHEMAS,
  };
}
