import type { Socket } from "node:net";
import { ApiKey } from "../protocol/api-keys";
import { ErrorCode } from "../protocol/errors";
import { decodeRequestHeaderV1, encodeResponseHeaderV0, encodeResponseHeaderV1 } from "../protocol/header";
import { MalformedFrameError, Reader } from "../protocol/reader";
import { response as apiVersionsV0 } from "../protocol/requests/api-versions/v0/response";
import { Writer } from "../protocol/writer";
import type { BrokerCore, ConnectionSession, Listener, RequestContext, Route } from "./core";
import { type Frame, FrameSplitter, joinFrame } from "./frames";
import { advertisedApis } from "./handlers/api-versions";
import { authenticatePlain } from "./handlers/sasl";

export type ConnectionOptions = {
  core: BrokerCore;
  routes: ReadonlyMap<number, Route<unknown, unknown>>;
  maxFrameBytes: number;
  listener: Listener;
};

let connectionSeq = 0;

/** What a client may send before SASL authentication completes. */
const BEFORE_AUTH = new Set<number>([ApiKey.ApiVersions, ApiKey.SaslHandshake, ApiKey.SaslAuthenticate]);

/** A response frame as the buffers it is made of (stored batches are not copied in). */
type Started = { response: Promise<Buffer[] | null>; pipelined: boolean };

/**
 * Serves one client socket: frames in, responses out in request order. A frame that does not
 * decode closes this connection only.
 */
export function serveConnection(socket: Socket, opts: ConnectionOptions): void {
  const { core } = opts;
  const connectionId = ++connectionSeq;
  const clientHost = socket.remoteAddress ?? "unknown";
  const remote = `${clientHost}:${socket.remotePort}`;
  const log = { connectionId, correlationId: `conn-${connectionId}`, remote };
  core.logger.info("client connected", log);

  const session: ConnectionSession = {
    authenticated: core.sasl === undefined,
    mechanism: null,
    principal: null,
    rawTokenNext: false,
    closeAfterResponse: false,
  };
  const splitter = new FrameSplitter(opts.maxFrameBytes);
  let gate: Promise<unknown> = Promise.resolve();
  let outbox: Promise<unknown> = Promise.resolve();
  let closed = false;

  const fail = (err: unknown) => {
    if (closed) return;
    closed = true;
    const malformed = err instanceof MalformedFrameError;
    const msg = malformed ? "malformed frame, closing connection" : "request failed, closing connection";
    core.logger.warn(msg, { ...log, error: err instanceof Error ? err.message : String(err) });
    socket.destroy();
  };

  const start = (frame: Frame): Started => {
    if (closed) return { response: Promise.resolve(null), pipelined: false };
    if (session.rawTokenNext) {
      // SaslHandshake v0 flow: this frame is the bare token; success answers an empty token.
      session.rawTokenNext = false;
      const ok = authenticatePlain(core, session, connectionId, joinFrame(frame));
      return { response: Promise.resolve(ok ? [Buffer.alloc(4)] : null), pipelined: false };
    }
    const r = new Reader(frame);
    const header = decodeRequestHeaderV1(r);
    const ctx: RequestContext = { core, header, connectionId, clientHost, session, listener: opts.listener };
    const route = opts.routes.get(header.apiKey);
    if (!route) throw new MalformedFrameError(`unknown api key ${header.apiKey}`);
    if (!session.authenticated && !BEFORE_AUTH.has(header.apiKey)) {
      throw new Error(`${route.codec.name} before SASL authentication`);
    }
    const codec = route.codec.versions[header.apiVersion];
    if (!codec) {
      // The protocol's answer to a too-new ApiVersions: a v0 body with UNSUPPORTED_VERSION and
      // our ranges, so the client can retry at a version we speak.
      if (header.apiKey !== ApiKey.ApiVersions) {
        throw new MalformedFrameError(`${route.codec.name} v${header.apiVersion} is not supported`);
      }
      const w = new Writer().int32(0);
      encodeResponseHeaderV0(w, header.correlationId);
      apiVersionsV0(w, {
        errorCode: ErrorCode.UNSUPPORTED_VERSION,
        apiKeys: advertisedApis(core.sasl !== undefined),
        throttleTimeMs: 0,
      });
      return { response: Promise.resolve(sized(w)), pipelined: false };
    }
    const flexible = route.codec.flexibleFrom !== undefined && header.apiVersion >= route.codec.flexibleFrom;
    if (flexible) r.taggedFields();
    const req = codec.request(r);
    const silent = route.silent?.(req) ?? false;
    const response = Promise.resolve(route.handle(req, ctx)).then((res) => {
      if (silent) return null;
      const w = new Writer().int32(0);
      // ApiVersions keeps response header v0 even when flexible, so clients can always parse it.
      if (flexible && header.apiKey !== ApiKey.ApiVersions) encodeResponseHeaderV1(w, header.correlationId);
      else encodeResponseHeaderV0(w, header.correlationId);
      codec.response(w, res);
      return sized(w);
    });
    // The outbox reports a failure once earlier responses are out; until then it must not
    // count as unhandled (which would end the process).
    response.catch(() => undefined);
    return { response, pipelined: route.pipelined ?? false };
  };

  const enqueue = (frame: Frame) => {
    const started = gate.then(() => start(frame));
    gate = started.then((s) => (s.pipelined ? undefined : s.response)).catch(() => undefined);
    outbox = outbox
      .then(() => started)
      .then((s) => s.response)
      .then((bufs) => {
        if (bufs && !closed) {
          if (bufs.length === 1) socket.write(bufs[0]);
          else {
            socket.cork();
            for (const buf of bufs) socket.write(buf);
            socket.uncork();
          }
        }
        if (session.closeAfterResponse && !closed) {
          closed = true;
          socket.end();
        }
      })
      .catch(fail);
  };

  socket.on("data", (chunk: Buffer) => {
    if (closed) return;
    try {
      for (const frame of splitter.push(chunk)) enqueue(frame);
    } catch (err) {
      fail(err);
    }
  });
  socket.on("error", (err) => core.logger.warn("client socket error", { ...log, error: err.message }));
  socket.on("close", () => {
    closed = true;
    core.logger.info("client disconnected", log);
  });
}

/** The response's buffers with its size prefix (the int32 placeholder it starts with) set. */
function sized(w: Writer): Buffer[] {
  const bufs = w.toBuffers();
  const size = bufs.reduce((n, b) => n + b.length, 0) - 4;
  bufs[0].writeInt32BE(size, 0);
  return bufs;
}
