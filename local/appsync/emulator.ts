// startAppSyncEmulator: AppSync's GraphQL HTTP endpoint and real-time WebSocket on
// 127.0.0.1, running the API definition's APPSYNC_JS resolvers and data sources.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { ApiDefinition } from "../../api/definition";
import { createAuthenticator } from "./auth/authenticate";
import { createFieldAuthorizer } from "./auth/field-auth";
import type { IamCredential } from "./auth/iam";
import type { OidcOptions } from "./auth/oidc";
import { createDataSources } from "./data-sources";
import { createExecutor, type Invalidation, type Publication } from "./execute";
import { createGraphQLHandler, sendJson } from "./http";
import { checkHandlers, type LambdaHandlers } from "./lambda-handlers";
import type { QueryLimits } from "./limits";
import { loadApi } from "./loaded-api";
import { jsonLogger, type Logger } from "./log";
import { handleConnection } from "./realtime/connection";
import { complete, handshakeHeaders } from "./realtime/messages";
import { createSubscriptionRegistry } from "./realtime/subscriptions";

export type AppSyncEmulatorOptions = {
  api: ApiDefinition;
  host?: string;
  port?: number;
  dynamodbEndpoint?: string;
  /** Lambda handlers built by the host, by the definition's module path (see lambda-handlers.ts). */
  handlers?: LambdaHandlers;
  oidc?: OidcOptions;
  iamCredentials?: IamCredential[];
  apiKeys?: string[];
  limits?: QueryLimits;
  logger?: Logger;
  /** Interval of `ka` messages (AppSync: about a minute). */
  keepAliveMs?: number;
  /** A connection that sends no connection_init within this time is closed. */
  connectionInitTimeoutMs?: number;
  /** Consulted first for every plain HTTP request; returns true when it answered. */
  playground?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Also serve HTTPS/WSS on the same port (Amplify always connects with wss://). */
  tls?: { key: string | Buffer; cert: string | Buffer };
};

export type Endpoints = { url: string; realtimeUrl: string; port: number };

export type AppSyncEmulator = Endpoints & {
  /** The HTTPS/WSS endpoints (same port) when `tls` was given. */
  tls?: Endpoints;
  /** Delivers data as if `mutationField` had returned it (for tests and local tools). */
  publish: (mutationField: string, data: Record<string, unknown>) => Promise<number>;
  subscriptionCount: () => number;
  stop: () => Promise<void>;
};

const REALTIME_PATHS = new Set(["/graphql/realtime", "/graphql"]);

export async function startAppSyncEmulator(options: AppSyncEmulatorOptions): Promise<AppSyncEmulator> {
  const host = options.host ?? "127.0.0.1";
  const log = options.logger ?? jsonLogger;
  checkHandlers(options.api, options.handlers);
  const api = await loadApi(options.api, (level, args) =>
    log({
      level: level === "error" ? "error" : "info",
      msg: "resolver console",
      args,
      tenantId: null,
      correlationId: null,
    }),
  );
  const authenticator = createAuthenticator({
    ...options,
    onAuthorizerFailure: (error) =>
      log({
        level: "error",
        msg: "lambda authorizer failed",
        error: String(error),
        tenantId: null,
        correlationId: null,
      }),
  });
  const executor = createExecutor(
    api,
    createDataSources(options.api, {
      dynamodbEndpoint: options.dynamodbEndpoint,
      handlers: options.handlers,
    }),
    createFieldAuthorizer(authenticator.defaultMode),
    options.limits,
  );
  const registry = createSubscriptionRegistry(executor);

  const deliver = (publications: Publication[], invalidations: Invalidation[]) => {
    for (const publication of publications) {
      // The published payload names its tenant and correlation id (PaymentUpdate does).
      const { tenantId = null, correlationId = null } = publication.data;
      registry.publish(publication).then(
        (delivered) =>
          log({ msg: "fan-out", mutation: publication.mutationField, delivered, tenantId, correlationId }),
        (error: unknown) =>
          log({ level: "error", msg: "fan-out failed", error: String(error), tenantId, correlationId }),
      );
    }
    for (const { subscriptionField, payload } of invalidations) {
      for (const sub of registry.invalidate(subscriptionField, payload)) sub.send(complete(sub.id));
    }
  };
  const graphql = createGraphQLHandler({ authenticator, executor, onMutation: deliver, log });

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "POST, GET, OPTIONS",
        "access-control-allow-headers": "*",
        "access-control-max-age": "86400",
      });
      res.end();
      return;
    }
    if (path === "/graphql" && req.method === "POST") {
      graphql(req, res).catch((error: unknown) => {
        log({
          level: "error",
          msg: "graphql failed",
          error: String(error),
          tenantId: null,
          correlationId: null,
        });
        if (!res.headersSent)
          sendJson(res, 500, { errors: [{ errorType: "InternalFailure", message: "Internal failure" }] });
      });
      return;
    }
    if (options.playground?.(req, res)) return;
    sendJson(res, 404, {
      errors: [{ errorType: "NotFoundException", message: `No route for ${req.method} ${path}` }],
    });
  };

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    handleProtocols: (protocols) => (protocols.has("graphql-ws") ? "graphql-ws" : false),
  });

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
        socket: ws,
        connectionAuth,
        authenticator,
        executor,
        registry,
        keepAliveMs: options.keepAliveMs ?? 60_000,
        connectionInitTimeoutMs: options.connectionInitTimeoutMs ?? 30_000,
        sourceIp,
        host: headers?.host ?? String(req.headers.host ?? ""),
        log,
      });
    });
  };

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

  // One port for everything: a TLS ClientHello (first byte 0x16) goes to the HTTPS
  // server, anything else to plain HTTP, because Amplify derives wss://<same host:port>.
  const httpServer = createHttpServer(onRequest);
  const httpsServer = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest)
    : undefined;
  const servers: Server[] = httpsServer ? [httpServer, httpsServer] : [httpServer];
  for (const server of servers) {
    server.on("upgrade", onUpgrade);
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
    listener.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (listener.address() as AddressInfo).port;
  const plain: Endpoints = {
    url: `http://${host}:${port}/graphql`,
    realtimeUrl: `ws://${host}:${port}/graphql/realtime`,
    port,
  };
  const secure: Endpoints | undefined = httpsServer
    ? { url: `https://${host}:${port}/graphql`, realtimeUrl: `wss://${host}:${port}/graphql/realtime`, port }
    : undefined;
  log({
    msg: "appsync emulator listening",
    url: plain.url,
    tlsUrl: secure?.url ?? null,
    tenantId: null,
    correlationId: null,
  });

  return {
    ...plain,
    tls: secure,
    publish: (mutationField, data) =>
      registry.publish({ mutationField, subscriptionFields: api.subscribers.get(mutationField) ?? [], data }),
    subscriptionCount: registry.count,
    stop: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      for (const server of servers) server.closeAllConnections();
      await closed;
    },
  };
}
