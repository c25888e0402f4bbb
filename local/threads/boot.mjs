// The first module of every server thread (see server-thread.ts). A worker inherits
// `--import tsx` in its execArgv, but tsx 4.23 registers its hooks in a worker only from
// Node 22.22 / 24.11 (on Node 20 it skips them there), and vitest's workers have no tsx at
// all; so the thread registers tsx itself when a .ts module does not load yet, then imports
// its entry.
import { workerData } from "node:worker_threads";

async function typeScriptLoads() {
  try {
    await import("./probe.ts");
    return true;
  } catch (error) {
    if (error?.code === "ERR_UNKNOWN_FILE_EXTENSION") return false;
    throw error;
  }
}

if (!(await typeScriptLoads())) {
  const { register } = await import("tsx/esm/api");
  register();
}
await import(workerData.entry);
