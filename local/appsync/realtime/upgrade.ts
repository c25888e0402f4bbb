// The real-time endpoint's HTTP upgrade: path check, handshake-header authentication
// (started before the WebSocket exists, awaited by connection_init), then the connection.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { type ConnectionOptions, handleConnection } from "./connection";
import { handshakeHeaders } from "./messages";

const REALTIME_PATHS = new Set(["/graphql/realtime", "/graphql"]);

/** What every connection shares; the rest of ConnectionOptions is per socket. */
export type RealtimeUpgradeOptions = Omit<
  ConnectionOptions,
  "socket" | "connectionAuth" | "reauthorizeConnection" | "sourceIp" | "host"
>;

export type RealtimeUpgrade = {
  onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Terminates every open connection. */
  close: () => void;
};

export function createRealtimeUpgrade(options: RealtimeUpgradeOptions): RealtimeUpgrade {
  const { authenticator } = options;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    handleProtocols: (protocols) => (protocols.has("graphql-ws") ? "graphql-ws" : false),
  });

  /** The handshake header: IAM clients sign `{}` for `<endpoint>/connect`. */
  const authenticateConnection = async (headers: Record<string, string>, sourceIp: string) => {
    const request = { headers, method: "POST", body: "{}", sourceIp };
    try {
      return await authenticator.authenticate({ ...request, path: "/graphql/connect" });
    } catch (error) {
      if (!headers.authorization?.startsWith("AWS4-HMAC-SHA256")) throw error;
      return authenticator.authenticate({ ...request, path: "/graphql" });
    }
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!REALTIME_PATHS.has(url.pathname)) {
      socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
      return;
    }
    const protocols = String(req.headers["sec-websocket-protocol"] ?? "")
      .split(",")
      .map((p) => p.trim());
    const headers = handshakeHeaders(url, protocols);
    const sourceIp = req.socket.remoteAddress ?? "127.0.0.1";
    const connectionAuth = headers
      ? authenticateConnection(headers, sourceIp)
      : Promise.reject(new Error("Valid authorization header not provided."));
    connectionAuth.catch(() => undefined);
    wss.handleUpgrade(req, socket, head, (ws) => {
      handleConnection({
        ...options,
        socket: ws,
        connectionAuth,
        reauthorizeConnection: () =>
          headers ? authenticateConnection(headers, sourceIp) : Promise.reject(new Error("Unauthorized")),
        sourceIp,
        host: headers?.host ?? String(req.headers.host ?? ""),
      });
    });
  };

  return {
    onUpgrade,
    close: () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
