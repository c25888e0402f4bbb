// s3rver writes an object in three steps (content, then `.md5`, then
// `._S3rver_metadata.json`) and answers the PUT after the last one; it never renames into
// place. A kill -9 in between leaves a torn object, and s3rver then answers 500 to every
// listing of its bucket (HeadBucket included). So on start every object whose metadata
// does not parse is removed: its PUT was never acknowledged, and the writer (a consumer
// whose offsets are committed only after success) writes it again on redelivery.
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";

const OBJECT = "._S3rver_object";
const METADATA = "._S3rver_metadata.json";

async function committed(objectPath: string): Promise<boolean> {
  const metadataPath = objectPath.slice(0, -OBJECT.length) + METADATA;
  try {
    JSON.parse(await readFile(metadataPath, "utf8"));
    return true;
  } catch {
    return false;
  }
}

/** Removes torn objects under an s3rver directory; returns their paths. */
export async function removeTornObjects(directory: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(directory, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const torn: string[] = [];
  for (const entry of entries) {
    if (!entry.endsWith(OBJECT)) continue;
    const objectPath = join(directory, entry);
    if (await committed(objectPath)) continue;
    const base = objectPath.slice(0, -OBJECT.length);
    await Promise.all([objectPath, `${objectPath}.md5`, base + METADATA].map((p) => rm(p, { force: true })));
    torn.push(entry.slice(0, -OBJECT.length));
  }
  return torn;
}
