import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, type KafkaConfig, logLevel } from "kafkajs";
import { type Broker, type BrokerOptions, startBroker } from "../../../local/kafka/broker";
import { silentLogger } from "../../../local/kafka/logger";

export const tempDir = (prefix = "payrail-kafka-") => mkdtemp(join(tmpdir(), prefix));
export const removeDir = (dir: string) => rm(dir, { recursive: true, force: true });

export function testBroker(options: BrokerOptions = {}): Promise<Broker> {
  return startBroker({ logger: silentLogger, initialRebalanceDelayMs: 50, ...options });
}

export function kafkaFor(port: number, config: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: "payrail-test",
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 50, maxRetryTime: 1000 },
    ...config,
  });
}

/** Polls `check` every 25 ms until it holds or `timeoutMs` passes (bounded). */
export async function eventually(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

type FrameMeta = { apiKey: number; apiVersion: number; correlationId: number };

/** Splits a byte stream into size-prefixed frames (for the proxy's bookkeeping). */
function frameReader(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const size = pending.readInt32BE(0);
      onFrame(pending.subarray(0, 4 + size));
      pending = pending.subarray(4 + size);
    }
  };
}

export type ProxyHooks = {
  /** Return true to swallow this response and cut the client's connection instead. */
  dropResponse?: (req: FrameMeta) => boolean;
  /** Sees every whole frame both ways (fixture capture). */
  observe?: (direction: "request" | "response", req: FrameMeta, frame: Buffer) => void;
};

export type KafkaProxy = { port: number; targetPort: number; close(): Promise<void> };

/**
 * A TCP proxy in front of the broker that can lose responses, to force client retries. Start
 * it first, give its port to the broker as advertisedPort, then set `targetPort`.
 */
export async function kafkaProxy(hooks: ProxyHooks): Promise<KafkaProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    const inflight = new Map<number, FrameMeta>();
    client.on(
      "data",
      frameReader((frame) => {
        const meta = {
          apiKey: frame.readInt16BE(4),
          apiVersion: frame.readInt16BE(6),
          correlationId: frame.readInt32BE(8),
        };
        inflight.set(meta.correlationId, meta);
        hooks.observe?.("request", meta, frame);
        upstream.write(frame);
      }),
    );
    upstream.on(
      "data",
      frameReader((frame) => {
        const meta = inflight.get(frame.readInt32BE(4));
        if (!meta) return;
        inflight.delete(meta.correlationId);
        hooks.observe?.("response", meta, frame);
        if (hooks.dropResponse?.(meta)) {
          client.destroy();
          upstream.destroy();
          return;
        }
        client.write(frame);
      }),
    );
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", closeBoth).on("error", closeBoth);
    upstream.on("close", closeBoth).on("error", closeBoth);
    upstream.connect(proxy.targetPort, "127.0.0.1");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const proxy: KafkaProxy = {
    port: typeof address === "object" && address ? address.port : 0,
    targetPort: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
