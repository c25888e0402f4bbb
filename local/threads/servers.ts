// The local servers `npm start` runs, each on its own worker thread (server-thread.ts), so
// that dynalite, s3rver and the broker do not share the main thread's CPU with the AppSync
// emulator, and the event services (consumers and timers) on one more, so that they do not
// share it either. Same options and answers as the in-process functions (startDynamoDb,
// startS3, startBroker, startEventServices), which tests keep using directly.
import type { EventServicesOptions } from "../event-services";
import type { DynamoDbThreadInfo, DynamoDbThreadOptions } from "./dynamodb.worker";
import type { EventServicesThreadInfo } from "./event-services.worker";
import type { BrokerThreadInfo, BrokerThreadOptions } from "./kafka.worker";
import type { S3ThreadInfo, S3ThreadOptions } from "./s3.worker";
import { type ServerThreadSettings, startServerThread } from "./server-thread";

export type { BrokerThreadInfo, BrokerThreadOptions };

/** What a threaded server reported once listening, plus its thread and how to stop it. */
export type ThreadedServer<Info> = Info & {
  threadId: number;
  osThreadId?: number;
  report(): Promise<unknown>;
  stop(): Promise<void>;
};

/** A `start(options, settings)` for the server whose worker entry is `entry` (a serve.ts module). */
export function threadedServer<Options, Info>(name: string, entry: URL) {
  return async (options: Options, settings?: ServerThreadSettings): Promise<ThreadedServer<Info>> => {
    const thread = await startServerThread<Options, Info>(name, entry, options, settings);
    const { threadId, osThreadId, report, stop } = thread;
    return { ...thread.info, threadId, osThreadId, report, stop };
  };
}

export const startDynamoDbThread = threadedServer<DynamoDbThreadOptions, DynamoDbThreadInfo>(
  "DynamoDB (dynalite)",
  new URL("./dynamodb.worker.ts", import.meta.url),
);

export const startS3Thread = threadedServer<S3ThreadOptions, S3ThreadInfo>(
  "S3 (s3rver)",
  new URL("./s3.worker.ts", import.meta.url),
);

export const startBrokerThread = threadedServer<BrokerThreadOptions, BrokerThreadInfo>(
  "Kafka broker",
  new URL("./kafka.worker.ts", import.meta.url),
);

/** Not a server, but run the same way: the consumers, relay, sweeper and webhook dispatcher. */
export const startEventServicesThread = threadedServer<EventServicesOptions, EventServicesThreadInfo>(
  "Event services",
  new URL("./event-services.worker.ts", import.meta.url),
);
