// startAppSyncEmulator: AppSync's GraphQL HTTP endpoint and real-time WebSocket on
// 127.0.0.1, running the API definition's APPSYNC_JS resolvers and data sources. It only
// wires the parts: router.ts (HTTP routes), realtime/upgrade.ts (WebSocket upgrade + auth),
// demux.ts (plain and TLS on one port).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiDefinition } from "../../api/definition";
import { createAuthenticator } from "./auth/authenticate";
import { createFieldAuthorizer } from "./auth/field-auth";
import type { IamCredential } from "./auth/iam";
import type { OidcOptions } from "./auth/oidc";
import { createDataSources } from "./data-sources";
import { listenPlainAndTls } from "./demux";
import { createExecutor, type Invalidation, type Publication } from "./execute";
import { createGraphQLHandler } from "./http";
import { checkHandlers, type LambdaHandlers } from "./lambda-handlers";
import { DEFAULT_LIMITS, type QueryLimits } from "./limits";
import { loadApi } from "./loaded-api";
import { jsonLogger, type Logger } from "./log";
import { createTenantRateLimiter } from "./rate-limit";
import { complete } from "./realtime/messages";
import { createSubscriptionRegistry } from "./realtime/subscriptions";
import { createRealtimeUpgrade } from "./realtime/upgrade";
import { createHttpRouter } from "./router";

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
  /** Each limit given replaces its default in DEFAULT_LIMITS (limits.ts). */
  limits?: QueryLimits;
  logger?: Logger;
  /** Interval of `ka` messages (AppSync: about a minute). */
  keepAliveMs?: number;
  /** A connection that sends no connection_init within this time is closed. */
  connectionInitTimeoutMs?: number;
  /** Open connections and subscriptions with Lambda-authorizer or OIDC auth are re-authorized this often. */
  reauthorizeMs?: number;
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
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
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
    limits,
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
  // One bucket per tenant for HTTP requests and WebSocket starts alike.
  const rateLimiter = createTenantRateLimiter(limits.tenantRate);
  const graphql = createGraphQLHandler({
    authenticator,
    executor,
    onMutation: deliver,
    rateLimiter,
    responseSizeLimitBytes: limits.responseSizeLimitBytes,
    log,
  });
  const realtime = createRealtimeUpgrade({
    authenticator,
    executor,
    registry,
    rateLimiter,
    keepAliveMs: options.keepAliveMs ?? 60_000,
    connectionInitTimeoutMs: options.connectionInitTimeoutMs ?? 30_000,
    reauthorizeMs: options.reauthorizeMs ?? 5_000,
    log,
  });
  const listener = await listenPlainAndTls({
    host,
    port: options.port ?? 0,
    onRequest: createHttpRouter({ graphql, playground: options.playground, log }),
    onUpgrade: realtime.onUpgrade,
    tls: options.tls,
  });
  const { port } = listener;
  const plain: Endpoints = {
    url: `http://${host}:${port}/graphql`,
    realtimeUrl: `ws://${host}:${port}/graphql/realtime`,
    port,
  };
  const secure: Endpoints | undefined = listener.secure
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
      realtime.close();
      await listener.close();
    },
  };
}
