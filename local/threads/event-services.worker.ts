// Worker entry: the local stack's event services (../event-services.ts) on their own thread;
// see servers.ts. `report()` answers with their DynamoDB calls when they count them.
import { type EventServicesOptions, startEventServices } from "../event-services";
import { serveInThread } from "./serve";

export type EventServicesThreadInfo = Record<string, never>;

// The main thread has already printed the AWS SDK's Node-version warning; a worker's env is its own copy.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

serveInThread(async (options: EventServicesOptions) => {
  const services = await startEventServices(options);
  return { info: {}, report: services.report, stop: services.stop };
});
