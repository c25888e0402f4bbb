// One subscription over AppSync's real-time WebSocket protocol, as Amplify v6 speaks it:
// the connection's auth header travels as a `header-<base64url JSON>` subprotocol next to
// `graphql-ws` (browsers cannot set WebSocket headers), then connection_init →
// connection_ack, start (with its own authorization) → start_ack, data…, stop → complete.
// Runs in the browser and in Node (pass `ws`'s WebSocket), so the bench reuses it.

/** The auth headers AppSync expects: `Authorization` (Lambda, OIDC) or `x-api-key`, plus `host`. */
export type RealtimeAuthorization = { host: string; [header: string]: string };

export type GraphQLPayload = { data?: unknown; errors?: unknown[] };

export type SubscriptionSink = {
  next(payload: GraphQLPayload): void;
  /** Fires once the server acknowledged the subscription (start_ack). */
  started?(): void;
  error(error: Error): void;
  complete(): void;
};

export type RealtimeRequest = {
  url: string;
  authorization: RealtimeAuthorization;
  query: string;
  variables?: Record<string, unknown> | null;
  /** Opens the socket; the browser's WebSocket by default, `ws` in Node. */
  createSocket?: (url: string, protocols: string[]) => WebSocketLike;
};

// Method-declared (hence bivariant) handlers, so both the DOM's and ws's sockets fit.
type Handler<E> = { bivariant(event: E): void }["bivariant"];

export type WebSocketLike = {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
};

type ServerMessage = {
  type: string;
  id?: string;
  payload?: { connectionTimeoutMs?: number; data?: unknown; errors?: unknown[] };
};

const OPEN = 1;
// How long to wait for `complete` after `stop` before closing anyway.
const STOP_GRACE_MS = 1_000;

/** Encodes UTF-8 text as unpadded base64url, the form Amplify puts in the subprotocol. */
export function base64UrlJson(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Opens a connection, starts one subscription on it and returns a function that stops both. */
export function subscribeRealtime(request: RealtimeRequest, sink: SubscriptionSink): () => void {
  const createSocket =
    request.createSocket ??
    ((url: string, protocols: string[]): WebSocketLike => new WebSocket(url, protocols));
  const id = crypto.randomUUID();
  const socket = createSocket(request.url, ["graphql-ws", `header-${base64UrlJson(request.authorization)}`]);
  let finished = false;
  let keepAliveTimer: ReturnType<typeof setTimeout> | undefined;
  let keepAliveMs = 0;

  const finish = (outcome?: Error) => {
    if (finished) return;
    finished = true;
    clearTimeout(keepAliveTimer);
    if (socket.readyState === OPEN) socket.close(1000);
    if (outcome) sink.error(outcome);
    else sink.complete();
  };

  // AppSync promises a `ka` at least every connectionTimeoutMs; silence past that means a dead link.
  const armKeepAlive = () => {
    clearTimeout(keepAliveTimer);
    if (keepAliveMs > 0) {
      keepAliveTimer = setTimeout(
        () => finish(new Error(`no keep-alive within ${keepAliveMs} ms`)),
        keepAliveMs,
      );
    }
  };

  socket.onopen = () => socket.send(JSON.stringify({ type: "connection_init" }));
  socket.onerror = () => finish(new Error(`WebSocket error on ${request.url}`));
  socket.onclose = (event) => finish(new Error(`connection closed (${event.code}) ${event.reason}`.trim()));
  socket.onmessage = (event) => {
    const message = parse(event.data);
    if (!message) return;
    switch (message.type) {
      case "connection_ack":
        keepAliveMs = message.payload?.connectionTimeoutMs ?? 0;
        armKeepAlive();
        socket.send(
          JSON.stringify({
            id,
            type: "start",
            payload: {
              data: JSON.stringify({ query: request.query, variables: request.variables ?? {} }),
              extensions: { authorization: request.authorization },
            },
          }),
        );
        return;
      case "ka":
        armKeepAlive();
        return;
      case "start_ack":
        if (message.id === id) sink.started?.();
        return;
      case "data":
        if (message.id === id)
          sink.next({ data: message.payload?.data ?? null, errors: message.payload?.errors });
        return;
      case "error":
      case "connection_error":
        // Shown as a GraphQL result so the errorType/errorCode AppSync sent stay visible.
        sink.next({ errors: message.payload?.errors ?? [{ message: `${message.type} without details` }] });
        finish();
        return;
      case "complete":
        if (message.id === id) finish();
        return;
    }
  };

  return () => {
    if (finished) return;
    if (socket.readyState !== OPEN) return finish();
    socket.send(JSON.stringify({ type: "stop", id }));
    setTimeout(() => finish(), STOP_GRACE_MS);
  };
}

function parse(data: unknown): ServerMessage | undefined {
  try {
    const message = JSON.parse(String(data));
    return typeof message?.type === "string" ? message : undefined;
  } catch {
    return undefined;
  }
}
