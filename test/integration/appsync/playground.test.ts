// The playground in headless Chromium against a real emulator: one window subscribes,
// another (with a different tenant picked) runs a mutation, and the event shows up live.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiDefinition } from "../../../api/definition";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { createPlayground } from "../../../local/appsync/playground";

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

async function openPlayground(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
  await page.goto(`${base}/`);
  await page.locator(".graphiql-container").waitFor({ timeout: 30_000 });
  return page;
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

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "payrail-playground-e2e-"));
  const playground = createPlayground({ tenants, examples });
  await playground.ready();
  emulator = await startAppSyncEmulator({
    host: "127.0.0.1",
    port: 0,
    api: await writeFixtureApi(),
    playground,
    logger: () => {},
  });
  base = `http://127.0.0.1:${emulator.port}`;
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
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
    await watcher.locator(".graphiql-tab-button", { hasText: "OnSay" }).click();
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
});
