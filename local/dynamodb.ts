// The local DynamoDB API server: dynalite on 127.0.0.1, with TransactWriteItems and
// TransactGetItems in front of it (./dynamodb/, which dynalite lacks). With `path` the data
// lives in LevelDB on disk and survives restarts; without it everything stays in memory.

import type { AddressInfo } from "node:net";
import { createDynalite } from "./dynamodb/dynalite";
import { serveTransactions } from "./dynamodb/transactions-front";

export type LocalDynamoDb = { endpoint: string; stop(): Promise<void> };

export async function startDynamoDb(options: { port?: number; path?: string } = {}): Promise<LocalDynamoDb> {
  // Tables become ACTIVE at once: nothing local waits for provisioning.
  const { server, store } = createDynalite({
    path: options.path,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  serveTransactions(server, store);
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
