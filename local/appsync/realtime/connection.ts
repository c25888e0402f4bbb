// One AppSync real-time connection: connection_init → ack + keep-alives, start (each
// with its own authorization) → start_ack | error, stop → complete. Bad frames get
// AppSync errors; nothing a client sends can throw out of here. Revocable auth (Lambda
// authorizer tokens, OIDC) is re-checked every `reauthorizeMs`: a refusal ends the connection.
import type { WebSocket } from "ws";
import type { Authenticator } from "../auth/authenticate";
import { AuthError, type AuthRequest, type Caller } from "../auth/types";
import type { Executor, Invocation } from "../execute";
import type { AppSyncGraphQLError } from "../graphql-errors";
import { type Logger, tenantOf } from "../log";
import type { TenantRateLimiter } from "../rate-limit";
import { validateFilter } from "./filters";
import * as msg from "./messages";
import type { LiveSubscription, SubscriptionRegistry } from "./subscriptions";

export type ConnectionOptions = {
  socket: WebSocket;
  /** The connection's own auth (handshake header), verified at upgrade. */
  connectionAuth: Promise<Caller>;
  /** Authenticates the handshake header again (the periodic re-check). */
  reauthorizeConnection: () => Promise<Caller>;
  authenticator: Authenticator;
  executor: Executor;
  registry: SubscriptionRegistry;
  /** Shared with HTTP: a start takes one token of its caller's tenant. */
  rateLimiter: TenantRateLimiter;
  keepAliveMs: number;
  /** Interval of the re-check of revocable auth (connection and each subscription). */
  reauthorizeMs: number;
  connectionInitTimeoutMs: number;
  sourceIp: string;
  host: string;
  log: Logger;
};

const MAX_FRAME_BYTES = 240 * 1024;

/** IAM signatures and API keys are checked once, as AppSync does; tokens can be revoked. */
const isRevocable = (caller: Caller) => caller.mode === "AWS_LAMBDA" || caller.mode === "OPENID_CONNECT";

const toErrorEntries = (errors: AppSyncGraphQLError[], errorCode: number): msg.ErrorEntry[] =>
  errors.map((e) => ({ errorType: e.errorType ?? "ValidationError", message: e.message, errorCode }));

const authEntry = (error: unknown): msg.ErrorEntry => {
  const statusCode = error instanceof AuthError ? error.statusCode : 401;
  return {
    errorType: "UnauthorizedException",
    message: error instanceof Error ? error.message : "Unauthorized",
    errorCode: statusCode,
  };
};

export function handleConnection(options: ConnectionOptions): void {
  const { socket, executor, registry, log } = options;
  const subscriptions = new Map<string, LiveSubscription>();
  // Starts still authorising or resolving; a stop removes its id, which cancels the start.
  const pending = new Set<string>();
  let initialised = false;
  let keepAlive: NodeJS.Timeout | undefined;
  let reauthorize: NodeJS.Timeout | undefined;
  let connectionRevocable = false;
  let connectionTenant: string | null = null;
  /** The start's auth request of each live subscription whose auth can be revoked. */
  const revocable = new Map<string, AuthRequest>();
  const sendText = (text: string) => {
    if (socket.readyState === socket.OPEN) socket.send(text);
  };
  // Every frame but fan-out data leaves through here (data: subscriptions.ts).
  const send = (message: unknown) => sendText(JSON.stringify(msg.scrubFrame(message)));
  // Swallow the rejection here; connection_init reports it.
  const connectionCaller = options.connectionAuth.then(
    (caller) => ({ caller }),
    (error: unknown) => ({ error }),
  );

  const initTimer = setTimeout(() => {
    send(
      msg.connectionError([{ errorType: "ConnectionTimeoutError", message: "connection_init not received" }]),
    );
    socket.close(1000);
  }, options.connectionInitTimeoutMs);

  const removeAll = () => {
    for (const sub of subscriptions.values()) registry.remove(sub);
    subscriptions.clear();
    revocable.clear();
  };

  const onInit = async () => {
    clearTimeout(initTimer);
    const outcome = await connectionCaller;
    if ("error" in outcome) {
      send(msg.connectionError([authEntry(outcome.error)]));
      socket.close(1000);
      return;
    }
    if (initialised) return;
    initialised = true;
    send(msg.ack());
    send(msg.keepAlive());
    keepAlive = setInterval(() => send(msg.keepAlive()), options.keepAliveMs);
    connectionRevocable = isRevocable(outcome.caller);
    connectionTenant = tenantOf(outcome.caller);
    reauthorize = setInterval(recheck, options.reauthorizeMs);
    reauthorize.unref();
  };

  /** Ends the connection: its subscriptions go first, so nothing more is delivered. */
  const revoke = (error: unknown) => {
    const ids = [...subscriptions.keys()];
    removeAll();
    const entry = authEntry(error);
    for (const id of ids) send(msg.error(id, [entry]));
    send(msg.connectionError([entry]));
    log({
      msg: "connection re-authorization failed",
      subscriptions: ids.length,
      tenantId: connectionTenant,
      correlationId: null,
    });
    socket.close(1000);
  };

  let checking = false;
  const recheck = async () => {
    if (checking || (!connectionRevocable && revocable.size === 0)) return;
    checking = true;
    try {
      if (connectionRevocable) await options.reauthorizeConnection();
      for (const request of revocable.values()) await options.authenticator.authenticate(request);
    } catch (error) {
      if (socket.readyState === socket.OPEN) revoke(error);
    } finally {
      checking = false;
    }
  };

  const onStart = async (
    id: string,
    payload: { data?: unknown; extensions?: { authorization?: unknown } },
  ) => {
    if (subscriptions.has(id) || pending.has(id)) {
      send(
        msg.error(id, [{ errorType: "DuplicatedOperationError", message: "Subscription ID already in use" }]),
      );
      return;
    }
    pending.add(id);
    try {
      await startPending(id, payload);
    } finally {
      pending.delete(id);
    }
  };

  /** Every await may have let a stop in: `cancelled()` then ends the start without a word. */
  const startPending = async (
    id: string,
    payload: { data?: unknown; extensions?: { authorization?: unknown } },
  ) => {
    const cancelled = () => !pending.has(id);
    let request: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      request = (typeof payload?.data === "string" ? JSON.parse(payload.data) : null) ?? {};
      if (typeof request !== "object") throw new Error("not an object");
    } catch {
      send(
        msg.error(id, [
          { errorType: "MalformedRequestException", message: "payload.data is not JSON", errorCode: 400 },
        ]),
      );
      return;
    }
    const authorization = payload?.extensions?.authorization;
    const headers =
      authorization && typeof authorization === "object"
        ? msg.lowerCaseKeys(authorization as Record<string, unknown>)
        : {};
    const authRequest: AuthRequest = {
      headers,
      method: "POST",
      path: "/graphql",
      body: typeof payload?.data === "string" ? payload.data : "",
      sourceIp: options.sourceIp,
      query: typeof request.query === "string" ? request.query : "",
      variables: (request.variables as Record<string, unknown>) ?? {},
    };
    let caller: Caller;
    try {
      caller = await options.authenticator.authenticate(authRequest);
    } catch (error) {
      if (!cancelled()) send(msg.error(id, [authEntry(error)]));
      return;
    }
    if (cancelled()) return;
    const tenantId = tenantOf(caller);
    if (tenantId && !options.rateLimiter.take(tenantId).allowed) {
      // AppSync's own frame for throttled starts (no errorCode in it).
      send(msg.error(id, [{ errorType: "LimitExceededError", message: "Rate limit exceeded" }]));
      return;
    }
    const prepared = executor.prepare(request.query, request.variables, request.operationName);
    if ("errors" in prepared) {
      send(msg.error(id, toErrorEntries(prepared.errors, 400)));
      return;
    }
    const invocation: Invocation = { caller, headers, domainName: options.host };
    const started = await executor.subscribe(prepared, invocation);
    if (cancelled()) return;
    if ("errors" in started) {
      const code = started.errors.some((e) => e.errorType === "Unauthorized") ? 401 : 400;
      send(msg.error(id, toErrorEntries(started.errors, code)));
      return;
    }
    const invalidFilter = started.filter ? validateFilter(started.filter) : null;
    if (invalidFilter) {
      send(msg.error(id, [{ errorType: "FilterValidationError", message: invalidFilter, errorCode: 400 }]));
      return;
    }
    if (socket.readyState !== socket.OPEN || subscriptions.has(id)) return;
    const sub: LiveSubscription = {
      id,
      prepared,
      started,
      invocation,
      send,
      sendText,
      renderKey: `${request.query}\u0000${JSON.stringify(prepared.variables)}`,
    };
    subscriptions.set(id, sub);
    registry.add(sub);
    if (isRevocable(caller)) revocable.set(id, authRequest);
    send(msg.startAck(id));
    log({
      msg: "subscription started",
      subscriptionId: id,
      field: started.fieldName,
      authType: caller.mode,
      tenantId: tenantOf(caller),
      correlationId: headers["x-correlation-id"] ?? id,
    });
  };

  const onStop = (id: string) => {
    if (pending.delete(id)) {
      // AppSync answers a stop with complete; the pending start sees its id gone and adds nothing.
      send(msg.complete(id));
      return;
    }
    const sub = subscriptions.get(id);
    if (!sub) {
      send(msg.error(id, [{ errorType: "UnknownOperationError", message: `Unknown subscription id ${id}` }]));
      return;
    }
    subscriptions.delete(id);
    revocable.delete(id);
    registry.remove(sub);
    send(msg.complete(id));
  };

  const onMessage = async (raw: Buffer | string) => {
    if (raw.length > MAX_FRAME_BYTES) {
      send(msg.error(undefined, [{ errorType: "MessageTooLarge", message: "Message exceeds 240 KB" }]));
      return;
    }
    let message: { type?: unknown; id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(String(raw));
      if (!message || typeof message !== "object") throw new Error("not an object");
    } catch {
      send(
        msg.error(undefined, [{ errorType: "MessageParsingError", message: "Message is not valid JSON" }]),
      );
      return;
    }
    const id = typeof message.id === "string" ? message.id : undefined;
    switch (message.type) {
      case "connection_init":
        return onInit();
      case "start":
      case "stop":
        if (!initialised) {
          send(
            msg.error(id, [
              { errorType: "UnsupportedOperation", message: "connection_init must come first" },
            ]),
          );
          return;
        }
        if (!id) {
          send(msg.error(undefined, [{ errorType: "MissingIdError", message: "id is required" }]));
          return;
        }
        return message.type === "start" ? onStart(id, (message.payload ?? {}) as never) : onStop(id);
      default:
        send(
          msg.error(id, [
            {
              errorType: "UnsupportedOperation",
              message: `Operation ${String(message.type)} is not supported`,
            },
          ]),
        );
    }
  };

  socket.on("message", (raw: Buffer) => {
    onMessage(raw).catch((error: unknown) => {
      log({
        level: "error",
        msg: "real-time message failed",
        error: String(error),
        tenantId: null,
        correlationId: null,
      });
      send(msg.error(undefined, [{ errorType: "InternalFailure", message: "Internal failure" }]));
    });
  });
  socket.on("error", () => socket.terminate());
  socket.on("close", () => {
    clearTimeout(initTimer);
    clearInterval(keepAlive);
    clearInterval(reauthorize);
    removeAll();
  });
}
