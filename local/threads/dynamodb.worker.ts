// Worker entry: dynalite (local/dynamodb.ts) on its own thread; see servers.ts.
import { startDynamoDb } from "../dynamodb";
import { serveInThread } from "./serve";

export type DynamoDbThreadOptions = { port?: number; path?: string };
export type DynamoDbThreadInfo = { endpoint: string };

serveInThread(async (options: DynamoDbThreadOptions) => {
  const server = await startDynamoDb(options);
  return { info: { endpoint: server.endpoint } satisfies DynamoDbThreadInfo, stop: () => server.stop() };
});
