// Finds the running local stack from the `local.json` that `npm start` writes.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { LocalStackInfo } from "../local/start";

export async function readLocalStack(dataDir = ".payrail"): Promise<LocalStackInfo | undefined> {
  try {
    return JSON.parse(await readFile(join(resolve(dataDir), "local.json"), "utf8")) as LocalStackInfo;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
