import { open, rm } from "node:fs/promises";
import { join } from "node:path";

/**
 * The physical limit: sequential 1 MiB appends to one file, each followed by fdatasync —
 * what a durable log can at best do on this disk. Bounded by both bytes and time.
 */
export async function diskAppendFsync(dir: string, maxBytes = 512 * 1024 * 1024, maxMs = 4000) {
  const file = join(dir, "raw-append.bin");
  const handle = await open(file, "a");
  const chunk = Buffer.alloc(1024 * 1024, 0x5a);
  const started = performance.now();
  let written = 0;
  try {
    while (written < maxBytes && performance.now() - started < maxMs) {
      await handle.write(chunk);
      await handle.datasync();
      written += chunk.length;
    }
  } finally {
    await handle.close();
    await rm(file, { force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  return { mbPerSec: written / 1e6 / seconds, bytes: written, seconds };
}
