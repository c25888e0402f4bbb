// The physical limit the broker is measured against: sequential appends to one file with an
// fdatasync after each chunk, as a log with one flush per write would do it.
// Run alone: npx tsx bench/kafka/disk.ts [dir] [totalMiB] [chunkKiB]
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export type DiskFigures = {
  bytes: number;
  chunkBytes: number;
  seconds: number;
  megabytesPerSecond: number;
  fsyncsPerSecond: number;
};

export async function measureRawFsyncThroughput(
  dir: string,
  totalBytes: number,
  chunkBytes: number,
): Promise<DiskFigures> {
  const work = mkdtempSync(join(dir, "raw-fsync-"));
  const fd = openSync(join(work, "append.bin"), "w");
  const chunk = Buffer.alloc(chunkBytes, 0x5a);
  const chunks = Math.max(1, Math.ceil(totalBytes / chunkBytes));
  const started = process.hrtime.bigint();
  try {
    for (let i = 0; i < chunks; i++) {
      writeSync(fd, chunk, 0, chunk.length, i * chunkBytes);
      fdatasyncSync(fd);
    }
  } finally {
    closeSync(fd);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(work, { recursive: true, force: true });
  const bytes = chunks * chunkBytes;
  return {
    bytes,
    chunkBytes,
    seconds,
    megabytesPerSecond: bytes / 1e6 / seconds,
    fsyncsPerSecond: chunks / seconds,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [dirArg, totalMiB = "64", chunkKiB = "256"] = process.argv.slice(2);
  const dir = dirArg ?? tmpdir();
  for (const kib of [16, Number(chunkKiB), 1024]) {
    // Small chunks are fsync-bound: cap them at 400 fsyncs so the run stays short.
    const total = Math.min(Number(totalMiB) * 1024 * 1024, 400 * kib * 1024);
    const figures = await measureRawFsyncThroughput(dir, total, kib * 1024);
    console.log(
      `raw append+fdatasync, ${kib} KiB chunks: ${figures.megabytesPerSecond.toFixed(1)} MB/s, ` +
        `${figures.fsyncsPerSecond.toFixed(0)} fsyncs/s (${(figures.bytes / 1048576).toFixed(0)} MiB in ${figures.seconds.toFixed(2)} s)`,
    );
  }
}
