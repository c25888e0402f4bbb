import { createServer, type Server, type Socket } from "node:net";
import { GroupCoordinator } from "./groups/coordinator";
import { ProducerIdAllocator } from "./idempotence/producerIds";
import { ProducerStateTable } from "./idempotence/producerState";
import { jsonLogger, type Logger } from "./logger";
import { serveConnection } from "./server/connection";
import type { BrokerCore } from "./server/core";
import { AppendNotifier } from "./server/notifier";
import { ROUTES } from "./server/routes";
import { openLogStore } from "./storage";
import type { LogStore, TopicConfig } from "./storage/types";

export type BrokerOptions = {
  host?: string;
  /** 0 = an ephemeral port; the real one is returned. */
  port?: number;
  /** What Metadata/FindCoordinator tell clients to connect to (Kafka's advertised.listeners), e.g. a proxy. */
  advertisedHost?: string;
  advertisedPort?: number;
  /** Segment files and offsets live here; without it (or with `memory`) nothing touches disk. */
  dataDir?: string;
  memory?: boolean;
  autoCreateTopics?: boolean;
  defaultPartitions?: number;
  topicDefaults?: Partial<TopicConfig>;
  logger?: Logger;
  /** Largest request frame accepted (Kafka's socket.request.max.bytes). */
  maxFrameBytes?: number;
  retentionCheckMs?: number;
  initialRebalanceDelayMs?: number;
};

export type Broker = {
  host: string;
  port: number;
  store: LogStore;
  stop(): Promise<void>;
};

const NODE_ID = 1;

export async function startBroker(options: BrokerOptions = {}): Promise<Broker> {
  const host = options.host ?? "127.0.0.1";
  const logger = options.logger ?? jsonLogger();
  const dataDir = options.memory ? undefined : options.dataDir;
  const store = await openLogStore({ dataDir, defaults: options.topicDefaults });
  const producers = new ProducerStateTable();
  const producerIds = new ProducerIdAllocator(producers.rebuild(store));
  const core: BrokerCore = {
    nodeId: NODE_ID,
    clusterId: "payrail-local",
    host: options.advertisedHost ?? host,
    port: 0,
    store,
    groups: new GroupCoordinator({
      offsets: store.offsets,
      logger,
      initialRebalanceDelayMs: options.initialRebalanceDelayMs,
    }),
    producers,
    producerIds,
    notifier: new AppendNotifier(),
    logger,
    autoCreateTopics: options.autoCreateTopics ?? false,
    defaultPartitions: options.defaultPartitions ?? 1,
    stopping: false,
  };

  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.setNoDelay(true);
    serveConnection(socket, {
      core,
      routes: ROUTES,
      maxFrameBytes: options.maxFrameBytes ?? 100 * 1024 * 1024,
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 0);
  core.port = options.advertisedPort ?? port;

  const retention = setInterval(() => {
    store.applyRetention(Date.now()).catch((err) => logger.error("retention failed", { error: String(err) }));
  }, options.retentionCheckMs ?? 60_000);
  retention.unref();

  logger.info("broker listening", {
    host,
    port,
    dataDir: dataDir ?? null,
    topics: store.topics().length,
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      core.stopping = true;
      clearInterval(retention);
      core.notifier.wakeAll();
      core.groups.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await store.close();
      logger.info("broker stopped", { port });
    })();
    return stopped;
  };

  return { host, port, store, stop };
}
