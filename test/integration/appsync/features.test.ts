import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { featuresApi, ITEMS_TABLE } from "../../fixtures/appsync/features-api";
import { events as failingEvents } from "../../fixtures/appsync/handlers/failing";
import { batchSizes } from "../../fixtures/appsync/handlers/owners";
import { type GraphQLResult, gql, RealtimeClient } from "./helpers";

// dynalite ships no types; it returns a node http.Server.
const dynalite = createRequire(import.meta.url)("dynalite") as (options: { createTableMs: number }) => Server;

const ISSUER = "https://issuer.payrail.test";
const API_KEY = "da2-localtestkey";

const listen = (server: {
  listen: (port: number, host: string, cb: () => void) => unknown;
  address(): unknown;
}) =>
  new Promise<string>((resolve) => {
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });

describe("emulator data sources, runtime and auth modes (features fixture)", () => {
  let emulator: AppSyncEmulator;
  let remote: Server;
  let dynamo: Server;
  let sign: (claims: Record<string, unknown>, issuer?: string) => Promise<string>;
  const key = { "x-api-key": API_KEY };

  beforeAll(async () => {
    remote = createServer((req, res) => {
      res.writeHead(req.url === "/status" ? 200 : 404, { "content-type": "text/plain" });
      res.end(`remote saw ${req.method} ${req.url} accept=${req.headers.accept}`);
    });
    const remoteUrl = await listen(remote);
    dynamo = dynalite({ createTableMs: 0 });
    const dynamoUrl = await listen(dynamo);
    await new DynamoDBClient({
      endpoint: dynamoUrl,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }).send(
      new CreateTableCommand({
        TableName: ITEMS_TABLE,
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" };
    sign = (claims, issuer = ISSUER) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer(issuer)
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(privateKey);
    emulator = await startAppSyncEmulator({
      api: featuresApi(remoteUrl),
      apiKeys: [API_KEY],
      oidc: { issuer: ISSUER, jwks: { keys: [jwk] } },
      dynamodbEndpoint: dynamoUrl,
      logger: () => {},
      limits: { resolverCountLimit: 20 },
    });
  });

  afterAll(async () => {
    await emulator.stop();
    await new Promise((resolve) => remote.close(resolve));
    await new Promise((resolve) => dynamo.close(resolve));
  });

  it("accepts valid AppSync scalars and returns AWSJSON as JSON text", async () => {
    const variables = {
      date: "2026-02-28",
      time: "23:59:59.123+01:00",
      dateTime: "2026-02-28T23:59:59Z",
      timestamp: 1767225600,
      email: "ops@payrail.test",
      json: JSON.stringify({ a: [1, 2] }),
      url: "https://payrail.test/x?y=1",
      phone: "+44 20 7946 0958",
      ip: "10.0.0.0/8",
    };
    const { body } = await gql(
      emulator.url,
      key,
      `query S($date: AWSDate, $time: AWSTime, $dateTime: AWSDateTime, $timestamp: AWSTimestamp, $email: AWSEmail,
         $json: AWSJSON, $url: AWSURL, $phone: AWSPhone, $ip: AWSIPAddress) {
        scalars(date: $date, time: $time, dateTime: $dateTime, timestamp: $timestamp, email: $email, json: $json,
          url: $url, phone: $phone, ip: $ip) { date time dateTime timestamp email json url phone ip } }`,
      variables,
    );
    expect(body).toEqual({ data: { scalars: variables } });
  });

  it.each([
    ["date", "AWSDate", "2026-02-30"],
    ["time", "AWSTime", "25:00"],
    ["dateTime", "AWSDateTime", "2026-01-01T10:00:00"],
    ["timestamp", "AWSTimestamp", 1.5],
    ["email", "AWSEmail", "not-an-email"],
    ["json", "AWSJSON", "{broken"],
    ["url", "AWSURL", "payrail.test/no-scheme"],
    ["phone", "AWSPhone", "call me"],
    ["ip", "AWSIPAddress", "300.1.1.1"],
  ])("rejects an invalid %s (%s)", async (name, type, value) => {
    const { body } = await gql(
      emulator.url,
      key,
      `query S($v: ${type}) { scalars(${name}: $v) { ${name} } }`,
      {
        v: value,
      },
    );
    expect(body.data).toBeNull();
    expect(body.errors[0].message).toContain(`Invalid ${type} value`);
  });

  it("rejects invalid scalar literals during validation", async () => {
    const { status, body } = await gql(emulator.url, key, `{ scalars(email: "nope") { email } }`);
    expect(status).toBe(400);
    expect(body.errors[0].message).toMatch(/^Validation error of type WrongType: .*AWSEmail/);
  });

  it("batches a nested Lambda field into one BatchInvoke", async () => {
    batchSizes.length = 0;
    const { body } = await gql(emulator.url, key, `{ items(ids: ["a", "b", "c"]) { id owner { id name } } }`);
    expect(body.data.items).toEqual([
      { id: "a", owner: { id: "owner-of-a", name: "Owner a" } },
      { id: "b", owner: { id: "owner-of-b", name: "Owner b" } },
      { id: "c", owner: { id: "owner-of-c", name: "Owner c" } },
    ]);
    expect(batchSizes).toEqual([3]);
  });

  it("sends AppSync's context event to a Lambda and reports its failure as Lambda:Unhandled", async () => {
    const { body } = await gql(emulator.url, key, `query Failing { failing }`);
    expect(body.data).toEqual({ failing: null });
    expect(body.errors[0]).toMatchObject({
      path: ["failing"],
      errorType: "Lambda:Unhandled",
      message: "database on fire",
    });
    expect(failingEvents.at(-1)).toMatchObject({
      arguments: {},
      identity: null,
      info: { fieldName: "failing", parentTypeName: "Query" },
      stash: {},
      request: { headers: expect.objectContaining({ "x-api-key": API_KEY }) },
    });
  });

  it("executes DynamoDB request objects against a DynamoDB endpoint", async () => {
    const put = await gql(emulator.url, key, `mutation { putItem(id: "i1", name: "first") { id name } }`);
    expect(put.body).toEqual({ data: { putItem: { id: "i1", name: "first" } } });
    const again = await gql(emulator.url, key, `mutation { putItem(id: "i1", name: "second") { id name } }`);
    expect(again.body.errors[0].errorType).toBe("DynamoDB:ConditionalCheckFailedException");
    const got = await gql(emulator.url, key, `{ item(id: "i1") { id name } missing: item(id: "zz") { id } }`);
    expect(got.body).toEqual({ data: { item: { id: "i1", name: "first" }, missing: null } });
  });

  it("updates, queries, scans with a filter and pages, and deletes DynamoDB items", async () => {
    for (const [id, name] of [
      ["s1", "scan one"],
      ["s2", "scan two"],
      ["s3", "scan three"],
      ["n1", "other"],
    ]) {
      await gql(
        emulator.url,
        key,
        `mutation P($id: ID!, $name: String!) { putItem(id: $id, name: $name) { id } }`,
        { id, name },
      );
    }
    const renamed = await gql(
      emulator.url,
      key,
      `mutation { renameItem(id: "n1", name: "renamed") { id name } }`,
    );
    expect(renamed.body.data.renameItem).toEqual({ id: "n1", name: "renamed" });
    const queried = await gql(emulator.url, key, `{ queryItems(id: "n1") { items { id name } nextToken } }`);
    expect(queried.body.data.queryItems).toEqual({ items: [{ id: "n1", name: "renamed" }], nextToken: null });
    const names: string[] = [];
    let nextToken: string | null = null;
    for (let page = 0; page < 10; page++) {
      const scanned: GraphQLResult = await gql(
        emulator.url,
        key,
        `query S($t: String) { scanItems(prefix: "scan", limit: 2, nextToken: $t) { items { name } nextToken } }`,
        { t: nextToken },
      );
      names.push(...scanned.body.data.scanItems.items.map((i: { name: string }) => i.name));
      nextToken = scanned.body.data.scanItems.nextToken;
      if (!nextToken) break;
    }
    expect(names.sort()).toEqual(["scan one", "scan three", "scan two"]);
    const deleted = await gql(emulator.url, key, `mutation { deleteItem(id: "n1") { id name } }`);
    expect(deleted.body.data.deleteItem).toEqual({ id: "n1", name: "renamed" });
    const gone = await gql(emulator.url, key, `{ item(id: "n1") { id } }`);
    expect(gone.body.data.item).toBeNull();
  });

  it("calls an HTTP data source", async () => {
    const { body } = await gql(emulator.url, key, `{ remote(path: "/status") { statusCode body } }`);
    expect(body.data.remote).toEqual({ statusCode: 200, body: "remote saw GET /status accept=text/plain" });
  });

  it("keeps a value and reports util.appendError next to it", async () => {
    const { body } = await gql(emulator.url, key, `{ warned }`);
    expect(body).toEqual({
      data: { warned: "partial" },
      errors: [
        {
          path: ["warned"],
          data: null,
          errorType: "StaleData",
          errorInfo: { ageSeconds: 90 },
          locations: [{ line: 1, column: 3, sourceName: null }],
          message: "cache was stale",
        },
      ],
    });
  });

  it("verifies OIDC tokens against the local JWKS and the issuer", async () => {
    const token = await sign({ sub: "user-7", tenant_id: "acme" });
    const ok = await gql(emulator.url, { authorization: token }, `{ whoami }`);
    expect(ok.body).toEqual({ data: { whoami: "OPENID_CONNECT:user-7:acme" } });
    const apiKeyCaller = await gql(emulator.url, key, `{ whoami }`);
    expect(apiKeyCaller.body.errors[0]).toMatchObject({ errorType: "Unauthorized" });
    const foreign = await gql(
      emulator.url,
      { authorization: await sign({ sub: "x" }, "https://evil.test") },
      `{ whoami }`,
    );
    expect(foreign.status).toBe(401);
    const tampered = `${token.slice(0, -4)}AAAA`;
    expect((await gql(emulator.url, { authorization: tampered }, `{ whoami }`)).status).toBe(401);
  });

  it("rejects an unknown API key with 401", async () => {
    const { status, body } = await gql(emulator.url, { "x-api-key": "da2-wrong" }, `{ warned }`);
    expect(status).toBe(401);
    expect(body.errors[0].errorType).toBe("UnauthorizedException");
  });

  it("enforces the resolver count limit", async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `"${i}"`).join(",");
    const { body } = await gql(emulator.url, key, `{ items(ids: [${ids}]) { owner { id } } }`);
    expect(
      body.errors.some((e: { errorType?: string }) => e.errorType === "ResolverCountLimitExceeded"),
    ).toBe(true);
  });

  it("refuses a subscription whose resolver sets a filter beyond AppSync's limits", async () => {
    const client = await RealtimeClient.connect(emulator.realtimeUrl, { host: "x", "x-api-key": API_KEY });
    try {
      await client.init();
      const reply = await client.start(
        "f",
        `subscription { tooManyFilters { value } }`,
        {},
        { host: "x", "x-api-key": API_KEY },
      );
      expect(reply.payload.errors[0]).toMatchObject({ errorType: "FilterValidationError", errorCode: 400 });
    } finally {
      client.close();
    }
  });

  it("ends the subscriptions an invalidateSubscriptions call matches, and only those", async () => {
    const auth = { host: "x", "x-api-key": API_KEY };
    const client = await RealtimeClient.connect(emulator.realtimeUrl, auth);
    try {
      await client.init();
      const watch = `subscription W($g: String!) { onTick(group: $g) { value group } }`;
      expect((await client.start("g1", watch, { g: "g1" }, auth)).type).toBe("start_ack");
      expect((await client.start("g2", watch, { g: "g2" }, auth)).type).toBe("start_ack");
      await gql(emulator.url, key, `mutation { revoke(group: "g1") }`);
      expect(await client.next((m) => m.type === "complete")).toEqual({ type: "complete", id: "g1" });
      await gql(emulator.url, key, `mutation { broadcast(value: 7, group: "g2") { value group } }`);
      expect((await client.next((m) => m.type === "data")).payload).toEqual({
        data: { onTick: { value: 7, group: "g2" } },
      });
      await gql(emulator.url, key, `mutation { broadcast(value: 8, group: "g1") { value group } }`);
      await gql(emulator.url, key, `mutation { broadcast(value: 9, group: "g2") { value group } }`);
      await client.next((m) => m.type === "data" && m.payload.data.onTick.value === 9);
      expect(client.messages.filter((m) => m.type === "data").map((m) => m.id)).toEqual(["g2", "g2"]);
    } finally {
      client.close();
    }
  });
});
