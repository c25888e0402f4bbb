// The playground in headless Chromium against a real emulator: one window subscribes,
// another (with a different tenant picked) runs a mutation, and the event shows up live.
// Then the same over the HTTPS/WSS listener with the locally generated certificate.
import { createHash, createPublicKey } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import type { ApiDefinition } from "../../../api/definition";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { createPlayground } from "../../../local/appsync/playground";
import { createAppSyncFetcher } from "../../../local/appsync/playground/client/fetcher";
import { type GraphQLPayload, subscribeRealtime } from "../../../local/appsync/playground/client/realtime";
import { ensureLocalTls, type LocalTls } from "../../../local/tls/local-ca";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const SCHEMA = `
type Query {
  hello: String
}

type Message {
  id: ID!
  tenantId: ID!
  text: String!
}

type Mutation {
  say(text: String!): Message
}

type Subscription {
  onSay: Message @aws_subscribe(mutations: ["say"])
}
`;

// APPSYNC_JS on a NONE data source: the tenant comes from the Lambda authorizer's identity.
const SAY_FUNCTION = `
import { util } from "@aws-appsync/utils";
export function request(ctx) {
  return { payload: { id: util.autoId(), tenantId: ctx.identity.resolverContext.tenantId, text: ctx.args.text } };
}
export function response(ctx) {
  return ctx.result;
}
`;

const PASS_THROUGH = `
export function request() {
  return {};
}
export function response(ctx) {
  return ctx.prev.result;
}
`;

// Lambda authorizer fixture: token "tok-<tenant>" grants that tenant.
const AUTHORIZER = `
export async function handler(event) {
  const match = /^tok-([a-z]+)$/.exec(event.authorizationToken ?? "");
  if (!match) return { isAuthorized: false };
  return { isAuthorized: true, resolverContext: { tenantId: match[1] }, ttlOverride: 0 };
}
`;

const tenants = [
  { id: "acme", name: "Acme (EU)", token: "tok-acme" },
  { id: "globex", name: "Globex (US)", token: "tok-globex" },
];

const examples = [
  {
    query:
      'mutation Say {\n  say(text: "hello from the playground") {\n    id\n    tenantId\n    text\n  }\n}\n',
  },
  { query: "subscription OnSay {\n  onSay {\n    id\n    tenantId\n    text\n  }\n}\n" },
];

let dir: string;
let emulator: AppSyncEmulator;
let browser: Browser;
let base: string;
let tls: LocalTls;

async function writeFixtureApi(): Promise<ApiDefinition> {
  await writeFile(join(dir, "schema.graphql"), SCHEMA);
  await writeFile(join(dir, "say.js"), SAY_FUNCTION);
  await writeFile(join(dir, "pass-through.js"), PASS_THROUGH);
  await writeFile(join(dir, "authorizer.mjs"), AUTHORIZER);
  return {
    name: "playground-fixture",
    baseDir: dir,
    schemaFile: "schema.graphql",
    localOnlySchemaFiles: [fileURLToPath(new URL("../../../appsync-scalars.graphql", import.meta.url))],
    authentication: {
      default: { mode: "AWS_LAMBDA", handler: "authorizer.mjs", resultsCacheTtlSeconds: 0 },
      additional: [],
    },
    dataSources: [{ name: "none", type: "NONE" }],
    functions: [{ name: "say", dataSource: "none", code: "say.js" }],
    resolvers: [{ typeName: "Mutation", fieldName: "say", code: "pass-through.js", functions: ["say"] }],
  };
}

async function openPlayground(origin = base): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
  await page.goto(`${origin}/`);
  // GraphiQL renders its frame before Monaco has mounted; Run does nothing until both editors exist.
  await page.locator(".graphiql-query-editor .monaco-editor").waitFor({ timeout: 30_000 });
  await page.locator(".graphiql-response .monaco-editor").waitFor({ timeout: 30_000 });
  return page;
}

/** Switches to an editor tab and waits until the query editor shows that operation. */
async function selectTab(page: Page, operation: string): Promise<void> {
  await page.locator(".graphiql-tab-button", { hasText: new RegExp(`^${operation}$`) }).click();
  await page.waitForFunction(
    (name) => {
      const text = (document.querySelector(".graphiql-query-editor")?.textContent ?? "").replace(
        /\u00a0/g,
        " ",
      );
      return new RegExp(`(query|mutation|subscription) ${name}\\b`).test(text);
    },
    operation,
    { timeout: 20_000 },
  );
}

/** The response pane's text; Monaco renders spaces as no-break spaces, so normalise them. */
function responseText(page: Page): Promise<string> {
  return page.evaluate(() =>
    (document.querySelector(".graphiql-response")?.textContent ?? "").replace(/\u00a0/g, " "),
  );
}

async function waitForResponse(page: Page, ...fragments: string[]): Promise<string> {
  await page.waitForFunction(
    (expected) => {
      const text = (document.querySelector(".graphiql-response")?.textContent ?? "").replace(/\u00a0/g, " ");
      return expected.every((fragment) => text.includes(fragment));
    },
    fragments,
    { timeout: 20_000 },
  );
  return responseText(page);
}

/** HTTPS request trusting only the given CA (no system roots, no verification bypass). */
function httpsRequest(
  url: string,
  ca: string,
  body?: string,
  token = "tok-acme",
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca,
        method: body === undefined ? "GET" : "POST",
        headers: body === undefined ? {} : { "content-type": "application/json", authorization: token },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Chromium trusts exactly this server key (it has no API for an extra CA without an NSS db). */
function spkiPin(certPem: string): string {
  const spki = createPublicKey(certPem).export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "payrail-playground-e2e-"));
  tls = await ensureLocalTls(join(dir, "tls"));
  const playground = createPlayground({ tenants, examples });
  await playground.ready();
  emulator = await startAppSyncEmulator({
    host: "127.0.0.1",
    port: 0,
    api: await writeFixtureApi(),
    playground,
    logger: () => {},
    tls: { key: tls.keyPem, cert: tls.certPem },
  });
  base = `http://127.0.0.1:${emulator.port}`;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spkiPin(tls.certPem)}`],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("playground in Chromium", () => {
  it("shows a mutation run in one window as a live subscription event in another", async () => {
    const watcher = await openPlayground();
    expect(await watcher.locator("#tenant-picker").inputValue()).toBe("acme");
    await selectTab(watcher, "OnSay");
    await watcher.locator(".graphiql-execute-button").click();
    await waitForResponse(watcher, '"subscribed": true', '"received": 0');

    // The second window acts as another tenant, picked in the header.
    const sender = await openPlayground();
    await sender.locator("#tenant-picker").selectOption("globex");
    await sender.locator(".graphiql-execute-button").click();
    const sent = await waitForResponse(sender, '"say"', "hello from the playground");
    expect(sent).toContain('"tenantId": "globex"');

    const seen = await waitForResponse(watcher, "hello from the playground", '"received": 1');
    expect(seen).toContain('"onSay"');
    expect(seen).toContain('"tenantId": "globex"');

    await watcher.screenshot({ path: join(tmpdir(), "payrail-playground.png") });
  });

  it("keeps a Live updates subscription open while the same window runs the mutation", async () => {
    const page = await openPlayground();
    await page.getByRole("button", { name: "Show Live updates" }).click();
    expect(await page.locator(".payrail-live-query").inputValue()).toContain("subscription OnSay");
    await page.locator(".payrail-live-controls button", { hasText: "Start" }).click();
    await page.locator('.payrail-live-status[data-status="subscribed"]').waitFor({ timeout: 20_000 });

    await selectTab(page, "Say");
    await page.locator(".graphiql-execute-button").click();
    await waitForResponse(page, '"say"', '"tenantId": "acme"');

    const event = page.locator(".payrail-live-events li").first();
    await event.waitFor({ timeout: 20_000 });
    const text = (await event.textContent()) ?? "";
    expect(text).toContain("hello from the playground");
    expect(text).toContain('"tenantId": "acme"');
    expect(await page.locator(".payrail-live-events li").count()).toBe(1);
    await page.screenshot({ path: join(tmpdir(), "payrail-playground-live.png") });
  });
});

describe("playground over HTTPS/WSS with the local CA", () => {
  const say = (text: string) =>
    JSON.stringify({ query: `mutation { say(text: "${text}") { id tenantId text } }` });

  it("serves the page over HTTPS to a client that trusts only the generated CA", async () => {
    const secure = emulator.tls;
    expect(secure?.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const page = await httpsRequest(`https://127.0.0.1:${secure?.port}/`, tls.caCertPem);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Payrail playground");
  });

  it("delivers a subscription over WSS to a Node client that trusts only the CA", async () => {
    const secure = emulator.tls;
    if (!secure) throw new Error("emulator has no TLS listener");
    const received: GraphQLPayload[] = [];
    let stop = () => {};
    await new Promise<void>((resolve, reject) => {
      stop = subscribeRealtime(
        {
          url: secure.realtimeUrl,
          authorization: { host: new URL(secure.url).host, Authorization: "tok-acme" },
          query: "subscription { onSay { id tenantId text } }",
          createSocket: (url, protocols) => new WebSocket(url, protocols, { ca: tls.caCertPem }),
        },
        { started: resolve, next: (payload) => received.push(payload), error: reject, complete: () => {} },
      );
    });
    const answer = await httpsRequest(secure.url, tls.caCertPem, say("over wss"));
    expect(answer.status).toBe(200);
    await vi.waitFor(() => expect(received).not.toHaveLength(0), { timeout: 5_000, interval: 50 });
    stop();
    expect(received).toHaveLength(1);
    expect(received[0]?.data).toMatchObject({ onSay: { tenantId: "acme", text: "over wss" } });
  });

  it("surfaces AppSync's authorization error to the playground client for a bad token", async () => {
    const secure = emulator.tls;
    if (!secure) throw new Error("emulator has no TLS listener");
    const received: GraphQLPayload[] = [];
    await new Promise<void>((resolve, reject) => {
      subscribeRealtime(
        {
          url: secure.realtimeUrl,
          authorization: { host: new URL(secure.url).host, Authorization: "tok-NOT-VALID" },
          query: "subscription { onSay { id } }",
          createSocket: (url, protocols) => new WebSocket(url, protocols, { ca: tls.caCertPem }),
        },
        {
          started: () => reject(new Error("a bad token must not be acknowledged")),
          next: (payload) => received.push(payload),
          error: reject,
          complete: resolve,
        },
      );
    });
    expect(received).toHaveLength(1);
    expect(received[0]?.errors?.[0]).toMatchObject({ errorType: "UnauthorizedException" });
  });

  it("runs the playground page over HTTPS with its subscription on wss://", async () => {
    const secure = emulator.tls;
    if (!secure) throw new Error("emulator has no TLS listener");
    const page = await openPlayground(`https://127.0.0.1:${secure.port}`);
    const sockets: string[] = [];
    page.on("websocket", (socket) => sockets.push(socket.url()));
    await selectTab(page, "OnSay");
    await page.locator(".graphiql-execute-button").click();
    await waitForResponse(page, '"subscribed": true');
    expect(sockets).toEqual([`wss://127.0.0.1:${secure.port}/graphql/realtime`]);

    expect((await httpsRequest(secure.url, tls.caCertPem, say("hello over tls"))).status).toBe(200);
    const seen = await waitForResponse(page, "hello over tls", '"received": 1');
    expect(seen).toContain('"tenantId": "acme"');
  });
});

describe("AppSync fetcher", () => {
  const fetcherFor = () =>
    createAppSyncFetcher({
      httpUrl: emulator.url,
      realtimeUrl: emulator.realtimeUrl,
      token: () => "tok-acme",
    });
  const say = { query: 'mutation { say(text: "from the fetcher") { tenantId text } }' };

  it("sends the picked tenant's token", async () => {
    await expect(fetcherFor()(say)).resolves.toEqual({
      data: { say: { tenantId: "acme", text: "from the fetcher" } },
    });
  });

  it("lets an Authorization header typed in the editor (any case) replace the picked token", async () => {
    await expect(fetcherFor()(say, { headers: { authorization: "tok-globex" } })).resolves.toEqual({
      data: { say: { tenantId: "globex", text: "from the fetcher" } },
    });
  });

  it("runs the document's only operation when GraphiQL still names the previous tab's", async () => {
    await expect(fetcherFor()({ ...say, operationName: "OnSay" })).resolves.toEqual({
      data: { say: { tenantId: "acme", text: "from the fetcher" } },
    });
  });

  it("shows AppSync's 401 answer for a bad typed token instead of failing", async () => {
    const result = (await fetcherFor()(say, { headers: { Authorization: "nope" } })) as {
      errors?: { errorType?: string }[];
    };
    expect(result.errors?.[0]?.errorType).toBe("UnauthorizedException");
  });
});
