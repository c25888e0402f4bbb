// Puts the transaction operations in front of dynalite on its own HTTP server: a request
// whose X-Amz-Target is TransactWriteItems or TransactGetItems is answered here (on the
// store dynalite serves), every other request goes on to dynalite unchanged.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { crc32 } from "node:zlib";
import type { DynaliteError, Store } from "./dynalite";
import { requestTokens } from "./request-tokens";
import { type TransactGetRequest, transactGetItems } from "./transact-get";
import { type TransactWriteRequest, transactWriteItems } from "./transact-write";

const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const OPERATION = /^DynamoDB_20120810\.(TransactWriteItems|TransactGetItems)$/;

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("x-amzn-RequestId", randomBytes(39).toString("base64url").toUpperCase().slice(0, 52));
  res.setHeader("x-amz-crc32", crc32(text));
  res.setHeader("Content-Type", "application/x-amz-json-1.0");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function serveTransactions(server: Server, store: Store): void {
  const [dynalite] = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (!dynalite) throw new Error("dynalite's server has no request handler");
  const tokens = requestTokens();
  const answer = async (operation: string, req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (body === undefined) return send(res, 413, {});
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return send(res, 400, { __type: "com.amazon.coral.service#SerializationException" });
    }
    try {
      const result =
        operation === "TransactGetItems"
          ? await transactGetItems(store, request as TransactGetRequest)
          : await tokens.once(
              typeof request.ClientRequestToken === "string" ? request.ClientRequestToken : undefined,
              request,
              () => transactWriteItems(store, request as TransactWriteRequest),
            );
      send(res, 200, result);
    } catch (error) {
      const { statusCode, body: errorBody } = error as DynaliteError;
      if (statusCode && errorBody) return send(res, statusCode, errorBody);
      send(res, 500, {
        __type: "com.amazonaws.dynamodb.v20120810#InternalServerError",
        message: String(error),
      });
    }
  };
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const operation = OPERATION.exec(String(req.headers["x-amz-target"] ?? ""))?.[1];
    if (operation && req.method === "POST") void answer(operation, req, res);
    else dynalite(req, res);
  });
}
