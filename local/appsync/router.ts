// The emulator's HTTP routes: CORS preflight, POST /graphql, the playground, and a
// GraphQL-shaped 404 for everything else.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "./http";
import type { Logger } from "./log";

export type HttpRouterOptions = {
  graphql: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Consulted for every request the GraphQL route does not take; returns true when it answered. */
  playground?: (req: IncomingMessage, res: ServerResponse) => boolean;
  log: Logger;
};

export function createHttpRouter(
  options: HttpRouterOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { graphql, playground, log } = options;
  return (req, res) => {
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
    if (playground?.(req, res)) return;
    sendJson(res, 404, {
      errors: [{ errorType: "NotFoundException", message: `No route for ${req.method} ${path}` }],
    });
  };
}
