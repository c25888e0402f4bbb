// One port for everything: a TLS ClientHello (first byte 0x16) goes to the HTTPS
// server, anything else to plain HTTP, because Amplify derives wss://<same host:port>.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import type { Duplex } from "node:stream";

export type DemuxOptions = {
  host: string;
  port: number;
  onRequest: (req: IncomingMessage, res: ServerResponse) => void;
  onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  tls?: { key: string | Buffer; cert: string | Buffer };
};

export type DemuxListener = {
  port: number;
  /** True when TLS connections are served too. */
  secure: boolean;
  close: () => Promise<void>;
};

export async function listenPlainAndTls(options: DemuxOptions): Promise<DemuxListener> {
  const httpServer = createHttpServer(options.onRequest);
  const httpsServer = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, options.onRequest)
    : undefined;
  const servers: Server[] = httpsServer ? [httpServer, httpsServer] : [httpServer];
  for (const server of servers) {
    server.on("upgrade", options.onUpgrade);
    server.on("clientError", (_error, socket) => socket.destroy());
  }
  const listener = createNetServer((socket) => {
    socket.once("data", (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (httpsServer && first[0] === 0x16 ? httpsServer : httpServer).emit("connection", socket);
      process.nextTick(() => socket.resume());
    });
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (listener.address() as AddressInfo).port,
    secure: httpsServer !== undefined,
    close: async () => {
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      for (const server of servers) server.closeAllConnections();
      await closed;
    },
  };
}
