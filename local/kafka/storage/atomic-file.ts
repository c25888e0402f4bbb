import { open, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { syncDirectory } from "./file-byte-store";

/** Replaces `path` so that a crash leaves either the old or the new content, never a mix. */
export async function writeFileAtomically(path: string, content: string | Buffer): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, "w");
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  await syncDirectory(dirname(path));
}
