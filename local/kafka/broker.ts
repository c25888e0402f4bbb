import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { createServer as createTlsServer } from "node:tls";
import { createLocalTls, ensureLocalTls } from "../tls/local-ca";
import { GroupCoordinator } from "./groups/coordinator";
import { ProducerIdAllocator } from "./idempotence/producer-ids";
import { ProducerStateTable } from "./idempotence/producer-state";
import { jsonLogger, type Logger } from "./logger";
import { serveConnection } from "./server/connection";
import type { BrokerCore, Listener } from "./server/core";
import { AppendNotifier } from "./server/notifier";
import { ROUTES } from "./server/routes";
import { openLogStore } from "./storage";
import type { FlushPolicy, LogStore, TopicConfig } from "./storage/types";

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
  /** When appends in `dataDir` are fdatasynced before they are acknowledged; see DEFAULT_FLUSH. */
  flush?: FlushPolicy;
  autoCreateTopics?: boolean;
  defaultPartitions?: number;
  topicDefaults?: Partial<TopicConfig>;
  logger?: Logger;
  /** Largest request frame accepted (Kafka's socket.request.max.bytes). */
  maxFrameBytes?: number;
  retentionCheckMs?: number;
  initialRebalanceDelayMs?: number;
  /**
   * An extra TLS listener (MSK's encryption in transit) with a self-signed certificate kept in
   * `certDir` (default `<dataDir>/tls`; in memory mode a fresh one per start).
   */
  tls?: { port?: number; certDir?: string };
  /** SASL/PLAIN on every listener: user name → password. */
  sasl?: { plainUsers: Record<string, string> };
};

export type Broker = {
  host: string;
  port: number;
  /** Set when the TLS listener is on. */
  tlsPort?: number;
  /** PEM of the local CA that signed the TLS listener's certificate (for clients' trust store). */
  tlsCertificate?: string;
  store: LogStore;
  stop(): Promise<void>;
};

const NODE_ID = 1;

/**
 * As MSK does: acks=-1 means the write reached the broker (MSK: every in-sync replica's page
 * cache, no fsync), so it survives the broker process dying; a background fdatasync every
 * second bounds what a power loss of this one machine could take. `{ mode: "always" }`
 * trades latency for power-loss safety.
 */
export const DEFAULT_FLUSH_INTERVAL_MS = 1000;
export const DEFAULT_FLUSH: FlushPolicy = { mode: "interval", intervalMs: DEFAULT_FLUSH_INTERVAL_MS };

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

export async function startBroker(options: BrokerOptions = {}): Promise<Broker> {
  const host = options.host ?? "127.0.0.1";
  const logger = options.logger ?? jsonLogger();
  const dataDir = options.memory ? undefined : options.dataDir;
  const flush = options.flush ?? DEFAULT_FLUSH;
  const store = await openLogStore({ dataDir, defaults: options.topicDefaults, flush });
  const producers = new ProducerStateTable();
  const producerIds = new ProducerIdAllocator(producers.rebuild(store));
  const core: BrokerCore = {
    nodeId: NODE_ID,
    clusterId: "payrail-local",
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
    sasl: options.sasl ? { plainUsers: new Map(Object.entries(options.sasl.plainUsers)) } : undefined,
    stopping: false,
  };

  const sockets = new Set<Socket>();
  const maxFrameBytes = options.maxFrameBytes ?? 100 * 1024 * 1024;
  const accept = (listener: Listener) => (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.setNoDelay(true);
    serveConnection(socket, { core, routes: ROUTES, maxFrameBytes, listener });
  };

  const plainListener: Listener = { host: options.advertisedHost ?? host, port: 0 };
  const server = createServer(accept(plainListener));
  const port = await listen(server, options.port ?? 0, host);
  plainListener.port = options.advertisedPort ?? port;

  const servers: Server[] = [server];
  let tlsPort: number | undefined;
  let tlsCertificate: string | undefined;
  if (options.tls) {
    const hosts = [...new Set(["localhost", "127.0.0.1", host])];
    const certDir = options.tls.certDir ?? (dataDir ? join(dataDir, "tls") : undefined);
    const { caCertPem, certPem, keyPem } = certDir
      ? await ensureLocalTls(certDir, { hosts })
      : await createLocalTls({ hosts });
    const tlsListener: Listener = { host, port: 0 };
    const tlsServer = createTlsServer({ cert: certPem, key: keyPem }, accept(tlsListener));
    tlsServer.on("tlsClientError", (err) => logger.warn("TLS handshake failed", { error: err.message }));
    tlsPort = await listen(tlsServer, options.tls.port ?? 0, host);
    tlsListener.port = tlsPort;
    tlsCertificate = caCertPem;
    servers.push(tlsServer);
  }

  const retention = setInterval(() => {
    store.applyRetention(Date.now()).catch((err) => logger.error("retention failed", { error: String(err) }));
  }, options.retentionCheckMs ?? 60_000);
  retention.unref();

  logger.info("broker listening", {
    host,
    port,
    tlsPort: tlsPort ?? null,
    sasl: core.sasl ? "PLAIN" : null,
    dataDir: dataDir ?? null,
    flush: dataDir ? flush : null,
    topics: store.topics().length,
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      core.stopping = true;
      clearInterval(retention);
      core.notifier.wakeAll();
      core.groups.close();
      const closed = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      for (const socket of sockets) socket.destroy();
      await Promise.all(closed);
      await store.close();
      logger.info("broker stopped", { port });
    })();
    return stopped;
  };

  return { host, port, tlsPort, tlsCertificate, store, stop };
}
