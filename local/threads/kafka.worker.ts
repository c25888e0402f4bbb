// Worker entry: the Kafka-protocol broker (local/kafka/broker.ts) on its own thread; see
// servers.ts. Its options cross as data, so the logger is named rather than passed.
import { type BrokerOptions, startBroker } from "../kafka/broker";
import { jsonLogger, silentLogger } from "../kafka/logger";
import { serveInThread } from "./serve";

export type BrokerThreadOptions = Omit<BrokerOptions, "logger"> & { logger?: "json" | "silent" };
export type BrokerThreadInfo = { host: string; port: number; tlsPort?: number; tlsCertificate?: string };

serveInThread(async ({ logger, ...options }: BrokerThreadOptions) => {
  const broker = await startBroker({ ...options, logger: logger === "silent" ? silentLogger : jsonLogger() });
  const info: BrokerThreadInfo = {
    host: broker.host,
    port: broker.port,
    ...(broker.tlsPort !== undefined ? { tlsPort: broker.tlsPort } : {}),
    ...(broker.tlsCertificate !== undefined ? { tlsCertificate: broker.tlsCertificate } : {}),
  };
  return { info, stop: () => broker.stop() };
});
