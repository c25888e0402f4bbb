// The local servers `npm start` runs, each on its own worker thread (server-thread.ts), so
// that dynalite, s3rver and the broker do not share the main thread's CPU with the AppSync
// emulator and the consumers. Same options and answers as the in-process functions
// (startDynamoDb, startS3, startBroker), which tests keep using directly.
import type { LocalDynamoDb } from "../dynamodb";
import type { LocalS3 } from "../s3";
import type { DynamoDbThreadInfo, DynamoDbThreadOptions } from "./dynamodb.worker";
import type { BrokerThreadInfo, BrokerThreadOptions } from "./kafka.worker";
import type { S3ThreadInfo, S3ThreadOptions } from "./s3.worker";
import { type ServerThreadSettings, startServerThread } from "./server-thread";

export type { BrokerThreadInfo, BrokerThreadOptions };
export type Threaded = { threadId: number };

export async function startDynamoDbThread(
  options: DynamoDbThreadOptions = {},
  settings?: ServerThreadSettings,
): Promise<LocalDynamoDb & Threaded> {
  const thread = await startServerThread<DynamoDbThreadOptions, DynamoDbThreadInfo>(
    "DynamoDB (dynalite)",
    new URL("./dynamodb.worker.ts", import.meta.url),
    options,
    settings,
  );
  return { ...thread.info, threadId: thread.threadId, stop: thread.stop };
}

export async function startS3Thread(
  options: S3ThreadOptions = {},
  settings?: ServerThreadSettings,
): Promise<LocalS3 & Threaded> {
  const thread = await startServerThread<S3ThreadOptions, S3ThreadInfo>(
    "S3 (s3rver)",
    new URL("./s3.worker.ts", import.meta.url),
    options,
    settings,
  );
  return { ...thread.info, threadId: thread.threadId, stop: thread.stop };
}

export async function startBrokerThread(
  options: BrokerThreadOptions = {},
  settings?: ServerThreadSettings,
): Promise<BrokerThreadInfo & Threaded & { stop(): Promise<void> }> {
  const thread = await startServerThread<BrokerThreadOptions, BrokerThreadInfo>(
    "Kafka broker",
    new URL("./kafka.worker.ts", import.meta.url),
    options,
    settings,
  );
  return { ...thread.info, threadId: thread.threadId, stop: thread.stop };
}
