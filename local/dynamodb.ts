// The local DynamoDB API server: dynalite on 127.0.0.1. With `path` the data lives in
// LevelDB on disk and survives restarts; without it everything stays in memory.

import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";

type DynaliteOptions = {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
};
const dynalite = createRequire(import.meta.url)("dynalite") as (options: DynaliteOptions) => Server;

export type LocalDynamoDb = { endpoint: string; stop(): Promise<void> };

export async function startDynamoDb(options: { port?: number; path?: string } = {}): Promise<LocalDynamoDb> {
  // Tables become ACTIVE at once: nothing local waits for provisioning.
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
