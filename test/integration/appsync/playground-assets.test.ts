// The playground handler on a plain Node HTTP server: page, config, locally bundled
// assets (no CDN), cache reuse, and requests it must leave to the emulator.
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSchema, getOperationAST, getVariableValues, parse, validate } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlayground, type PlaygroundHandler } from "../../../local/appsync/playground";
import { PAYRAIL_EXAMPLES } from "../../../local/appsync/playground/examples";

const tenants = [
  { id: "acme", name: "Acme (EU)", token: "prl_acme_secretA" },
  { id: "globex", name: "Globex (US)", token: "prl_globex_secretB" },
];

let cacheDir: string;
let server: Server;
let base: string;
let playground: PlaygroundHandler;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), "payrail-playground-"));
  playground = createPlayground({ tenants, cacheDir });
  await playground.ready(); // the first build takes seconds; keep it out of the tests' timeouts
  server = createServer((req, res) => {
    if (!playground(req, res)) {
      res.writeHead(418, { "content-type": "text/plain" });
      res.end("emulator");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(cacheDir, { recursive: true, force: true });
});

describe("playground handler", () => {
  it("serves the page at / referencing only same-origin assets of the current build", async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    const html = await response.text();
    const { hash } = await playground.ready();
    expect(html).toContain(`/playground/assets/${hash}/app.js`);
    expect(html).toContain(`/playground/assets/${hash}/app.css`);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("serves the bundled app, its stylesheet and the three Monaco workers", async () => {
    const { hash } = await playground.ready();
    for (const file of ["app.js", "app.css", "editor.worker.js", "json.worker.js", "graphql.worker.js"]) {
      const response = await fetch(`${base}/playground/assets/${hash}/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get("cache-control")).toContain("immutable");
      const body = await response.text();
      expect(body.length, file).toBeGreaterThan(1000);
      // Bundled locally: nothing is fetched from a CDN at run time.
      expect(body, file).not.toMatch(/esm\.sh|unpkg\.com|cdn\.jsdelivr/);
    }
    const js = await (await fetch(`${base}/playground/assets/${hash}/app.js`)).text();
    expect(js).toContain("graphql-ws");
    expect(js).toContain("connection_init");
  });

  it("serves the tenant list with tokens, endpoints and example tabs", async () => {
    const response = await fetch(`${base}/playground/config.json`);
    expect(response.status).toBe(200);
    const config = await response.json();
    expect(config.tenants).toEqual(tenants);
    expect(config.defaultTenantId).toBe("acme");
    expect(config.graphqlPath).toBe("/graphql");
    expect(config.realtimePath).toBe("/graphql/realtime");
    const queries = config.examples.map((tab: { query: string }) => tab.query).join("\n");
    expect(queries).toContain("mutation InitiateCardPayment");
    expect(queries).toContain("paymentType");
    expect(queries).toContain("onPaymentUpdated");
    expect(config.examples[0].variables).toContain('"CARD"');
  });

  it("leaves GraphQL, WebSocket paths and other methods to the emulator", async () => {
    expect((await fetch(`${base}/graphql`, { method: "POST", body: "{}" })).status).toBe(418);
    expect((await fetch(`${base}/graphql/realtime`)).status).toBe(418);
    expect((await fetch(`${base}/`, { method: "POST", body: "{}" })).status).toBe(418);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(418);
  });

  it("refuses files outside the current build, including path traversal", async () => {
    const { hash } = await playground.ready();
    expect((await fetch(`${base}/playground/assets/${hash}/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/playground/assets/0000000000000000/app.js`)).status).toBe(404);
    expect((await fetch(`${base}/playground/assets/${hash}/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${base}/playground/assets/${hash}/sub/app.js`)).status).toBe(404);
  });

  it("reuses the cached build on a later start instead of building again", async () => {
    const first = await playground.ready();
    const before = (await stat(join(first.dir, "app.js"))).mtimeMs;
    const second = await createPlayground({ tenants, cacheDir }).ready();
    expect(second.hash).toBe(first.hash);
    expect((await stat(join(second.dir, "app.js"))).mtimeMs).toBe(before);
    // Only the finished build remains: no staging directories left behind.
    expect(await readdir(cacheDir)).toEqual([first.hash]);
  });

  it("removes builds of earlier sources on start", async () => {
    await mkdir(join(cacheDir, "0123456789abcdef"));
    const current = await createPlayground({ tenants, cacheDir }).ready();
    expect(await readdir(cacheDir)).toEqual([current.hash]);
  });
});

describe("Payrail example tabs", () => {
  const root = new URL("../../../", import.meta.url);
  const schemaSource = async () =>
    (await readFile(new URL("appsync-scalars.graphql", root), "utf8")) +
    (await readFile(new URL("schema.graphql", root), "utf8"));

  it("are valid operations, with valid variables, against the deployed schema", async () => {
    const schema = buildSchema(await schemaSource());
    for (const example of PAYRAIL_EXAMPLES) {
      const document = parse(example.query);
      expect(validate(schema, document), example.query).toEqual([]);
      const operation = getOperationAST(document);
      if (!operation) throw new Error(`no operation in ${example.query}`);
      const coerced = getVariableValues(
        schema,
        operation.variableDefinitions ?? [],
        JSON.parse(example.variables ?? "{}"),
      );
      expect(coerced.errors, example.query).toBeUndefined();
    }
    const kinds = PAYRAIL_EXAMPLES.map((example) => getOperationAST(parse(example.query))?.operation);
    expect(kinds).toEqual(["mutation", "subscription", "query", "mutation", "query"]);
  });
});
