// POST /graphql: AppSync's request/response shapes. Auth first (401/403 with
// UnauthorizedException), then parse/validate (400), then execution (200).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Authenticator } from "./auth/authenticate";
import { AuthError, type AuthRequest } from "./auth/types";
import type { Executor, GraphQLResponseBody, Invalidation, Publication } from "./execute";
import { rootFieldCount } from "./limits";
import { type Logger, tenantOf } from "./log";
import type { RateDecision, TenantRateLimiter } from "./rate-limit";
import { scrubErrors } from "./scrub";

const MAX_BODY_BYTES = 1024 * 1024;

export type GraphQLHttpOptions = {
  authenticator: Authenticator;
  executor: Executor;
  onMutation: (publications: Publication[], invalidations: Invalidation[]) => void;
  rateLimiter: TenantRateLimiter;
  responseSizeLimitBytes: number;
  log: Logger;
};

/** The body sent instead of one over the size limit (the operation has run, as on AppSync). */
const tooLarge = (size: number, limit: number): GraphQLResponseBody => ({
  data: null,
  errors: [
    {
      path: null,
      locations: null,
      errorType: "ResponseSizeLimitExceeded",
      message: `Response of ${size} bytes exceeds the limit of ${limit} bytes; select fewer fields or page with a smaller limit`,
    },
  ],
});

const headersOf = (req: IncomingMessage): Record<string, string> =>
  Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [
      k.toLowerCase(),
      Array.isArray(v) ? v.join(",") : String(v),
    ]),
  );

/** Every HTTP answer leaves through here, so every `errors[].message` is scrubbed of card data. */
export const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
) => {
  res.writeHead(status, {
    ...extraHeaders,
    "content-type": "application/json; charset=UTF-8",
    "access-control-allow-origin": "*",
  });
  res.end(JSON.stringify(scrubErrors(body)));
};

/** The body, or null once it passes MAX_BODY_BYTES; the rest is read and dropped, so the 413 arrives instead of a reset. */
const readBody = (req: IncomingMessage): Promise<string | null> =>
  new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
      req.resume();
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

export function createGraphQLHandler(options: GraphQLHttpOptions) {
  const { authenticator, executor, log } = options;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const headers = headersOf(req);
    const body = await readBody(req);
    if (body === null) {
      sendJson(
        res,
        413,
        {
          errors: [
            {
              errorType: "PayloadTooLargeException",
              message: `Request body exceeds the limit of ${MAX_BODY_BYTES} bytes`,
            },
          ],
        },
        { connection: "close" },
      );
      return;
    }
    let request: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      request = JSON.parse(body);
      if (!request || typeof request !== "object") throw new Error("not an object");
    } catch {
      sendJson(res, 400, {
        errors: [
          { errorType: "MalformedHttpRequestException", message: "Unable to parse the JSON document" },
        ],
      });
      return;
    }
    const variables = (request.variables ?? {}) as Record<string, unknown>;
    const input = (variables.input ?? {}) as { correlationId?: unknown };
    const correlationId =
      headers["x-correlation-id"] ??
      (typeof input.correlationId === "string" ? input.correlationId : crypto.randomUUID());
    const authRequest: AuthRequest = {
      headers,
      method: req.method ?? "POST",
      path: req.url ?? "/graphql",
      body,
      sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
      query: typeof request.query === "string" ? request.query : "",
      operationName: typeof request.operationName === "string" ? request.operationName : null,
      variables,
    };
    let caller: Awaited<ReturnType<Authenticator["authenticate"]>>;
    try {
      caller = await authenticator.authenticate(authRequest);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      log({ msg: "graphql unauthorized", status: error.statusCode, tenantId: null, correlationId });
      sendJson(res, error.statusCode, {
        errors: [{ errorType: "UnauthorizedException", message: error.message }],
      });
      return;
    }
    const logLine = { authType: caller.mode, tenantId: tenantOf(caller), correlationId };
    const prepared = executor.prepare(request.query, variables, request.operationName);
    if ("errors" in prepared) {
      log({ msg: "graphql invalid", ...logLine, errors: prepared.errors.length });
      sendJson(res, 400, { data: null, errors: prepared.errors });
      return;
    }
    // One token per root field, so 1,000 aliases cost what 1,000 requests would. Callers
    // without a tenant (IAM: the pipeline publishing updates; API keys) have no bucket.
    const cost = Math.max(1, rootFieldCount(prepared.document, prepared.operation));
    const decision: RateDecision = logLine.tenantId
      ? options.rateLimiter.take(logLine.tenantId, cost)
      : { allowed: true };
    if (!decision.allowed) {
      log({ msg: "graphql throttled", ...logLine, cost });
      const retryAfterSeconds = Math.ceil(decision.retryAfterMs / 1000);
      sendJson(
        res,
        429,
        {
          errors: [
            {
              errorType: "TooManyRequestsException",
              message: `Rate limit exceeded: this request costs ${cost} (one per root field); retry after ${retryAfterSeconds} s`,
            },
          ],
        },
        { "retry-after": String(retryAfterSeconds) },
      );
      return;
    }
    const {
      body: executed,
      publications,
      invalidations,
      responseHeaders,
    } = await executor.run(prepared, {
      caller,
      headers: { ...headers, "x-correlation-id": correlationId },
      domainName: headers.host ?? null,
    });
    if (publications.length || invalidations.length) options.onMutation(publications, invalidations);
    const size = Buffer.byteLength(JSON.stringify(executed));
    const response =
      size > options.responseSizeLimitBytes ? tooLarge(size, options.responseSizeLimitBytes) : executed;
    log({
      msg: "graphql",
      operation: prepared.operation.operation,
      operationName: prepared.operationName ?? prepared.operation.name?.value ?? null,
      ...logLine,
      errors: response.errors?.length ?? 0,
      durationMs: Date.now() - started,
    });
    sendJson(res, 200, response, responseHeaders);
  };
}
