// The partner playground at `/`: an HTTP handler the emulator consults before its own
// routes. It serves the page, its config (tenants and their tokens, endpoints, example
// tabs) and the locally bundled GraphiQL assets; everything else falls through.
import { createReadStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensurePlaygroundBundle, type PlaygroundBundle } from "./bundle";
import {
  ASSETS_PATH,
  CONFIG_PATH,
  type PlaygroundConfig,
  type PlaygroundExample,
  type PlaygroundTenant,
} from "./config";
import { PAYRAIL_EXAMPLES } from "./examples";
import { renderPage } from "./page";

export type { PlaygroundExample, PlaygroundTenant } from "./config";

export type PlaygroundOptions = {
  tenants: PlaygroundTenant[];
  defaultTenantId?: string;
  /** Example tabs; Payrail's payment examples by default. */
  examples?: PlaygroundExample[];
  graphqlPath?: string;
  realtimePath?: string;
  /** Where built assets are cached, keyed by content hash. */
  cacheDir?: string;
};

/** Returns true when it took the request; the emulator handles it otherwise. */
export type PlaygroundHandler = ((req: IncomingMessage, res: ServerResponse) => boolean) & {
  /** Builds (or finds cached) assets now instead of on the first page load. */
  ready(): Promise<PlaygroundBundle>;
};

const DEFAULT_CACHE_DIR = fileURLToPath(new URL("../../../.payrail/playground", import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ttf": "font/ttf",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".svg": "image/svg+xml",
};

export function createPlayground(options: PlaygroundOptions): PlaygroundHandler {
  const config: PlaygroundConfig = {
    tenants: options.tenants,
    defaultTenantId: options.defaultTenantId ?? "acme",
    graphqlPath: options.graphqlPath ?? "/graphql",
    realtimePath: options.realtimePath ?? "/graphql/realtime",
    examples: options.examples ?? PAYRAIL_EXAMPLES,
  };
  const configJson = JSON.stringify(config);
  let bundle: Promise<PlaygroundBundle> | undefined;
  const ready = () => {
    bundle ??= ensurePlaygroundBundle(options.cacheDir ?? DEFAULT_CACHE_DIR).catch((error: unknown) => {
      bundle = undefined; // let the next request retry instead of caching the failure
      throw error;
    });
    return bundle;
  };

  const handler = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = new URL(req.url ?? "/", "http://playground").pathname;
    if (path === "/" || path === "/index.html") {
      respondWith(
        res,
        ready().then((built) => send(res, 200, "text/html; charset=utf-8", renderPage(built.hash))),
      );
      return true;
    }
    if (path === CONFIG_PATH) {
      send(res, 200, "application/json", configJson, "no-store");
      return true;
    }
    if (path.startsWith(ASSETS_PATH)) {
      respondWith(
        res,
        ready().then((built) => sendAsset(res, built, path.slice(ASSETS_PATH.length))),
      );
      return true;
    }
    return false;
  };
  return Object.assign(handler, { ready });
}

/** `<hash>/<file>`: only files of the current build, so no path can escape the cache dir. */
function sendAsset(res: ServerResponse, built: PlaygroundBundle, rest: string): void {
  const [hash, file, ...extra] = rest.split("/");
  if (hash !== built.hash || extra.length > 0 || !file || !built.files.includes(file)) {
    send(res, 404, "text/plain; charset=utf-8", "not found");
    return;
  }
  res.writeHead(200, {
    "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
    // The hash in the URL changes with the content, so browsers may keep it forever.
    "cache-control": "public, max-age=31536000, immutable",
  });
  if (res.req.method === "HEAD") {
    res.end();
    return;
  }
  createReadStream(join(built.dir, file))
    .on("error", () => res.destroy())
    .pipe(res);
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  cache = "no-cache",
): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": cache });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

function respondWith(res: ServerResponse, work: Promise<void>): void {
  work.catch((error: unknown) => {
    if (res.headersSent) return void res.destroy();
    send(res, 500, "text/plain; charset=utf-8", `playground unavailable: ${String(error)}`);
  });
}
