// The local S3 API server: s3rver on 127.0.0.1, objects as files under `directory`
// (e.g. .payrail/s3). Without a directory it uses a temp dir that is removed on stop.
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeTornObjects } from "./s3-recovery";

type S3rverOptions = {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  resetOnClose: boolean;
  allowMismatchedSignatures: boolean;
  vhostBuckets: boolean;
};
type S3rverInstance = { run(): Promise<AddressInfo>; close(): Promise<void> };
const S3rver = createRequire(import.meta.url)("s3rver") as new (options: S3rverOptions) => S3rverInstance;

export type LocalS3 = {
  endpoint: string;
  /** Objects a crash left half-written, removed before serving (see s3-recovery.ts). */
  removedTornObjects: string[];
  stop(): Promise<void>;
};

export async function startS3(options: { port?: number; directory?: string } = {}): Promise<LocalS3> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), "payrail-s3-")));
  const removedTornObjects = await removeTornObjects(directory);
  const server = new S3rver({
    address: "127.0.0.1",
    port: options.port ?? 0,
    directory,
    silent: true,
    resetOnClose: false,
    // Signatures are checked for shape only: local clients sign with dummy credentials.
    allowMismatchedSignatures: true,
    vhostBuckets: false,
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    removedTornObjects,
    async stop() {
      await server.close();
      if (!options.directory) await rm(directory, { recursive: true, force: true });
    },
  };
}
