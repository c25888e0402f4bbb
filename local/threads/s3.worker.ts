// Worker entry: s3rver (local/s3.ts) on its own thread, torn-object recovery included; see
// servers.ts.
import { startS3 } from "../s3";
import { serveInThread } from "./serve";

export type S3ThreadOptions = { port?: number; directory?: string };
export type S3ThreadInfo = { endpoint: string; removedTornObjects: string[] };

serveInThread(async (options: S3ThreadOptions) => {
  const server = await startS3(options);
  const info: S3ThreadInfo = { endpoint: server.endpoint, removedTornObjects: server.removedTornObjects };
  return { info, stop: () => server.stop() };
});
