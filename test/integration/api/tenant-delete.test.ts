// `payrail tenant delete` against the real local servers: the tenant's token works over HTTP
// and WebSocket, then, right after the command, gets Unauthorized on both; its data is kept
// (or purged with --purge); provisioning a disabled tenant again revives nothing. A subscription
// already open is ended by the emulator's periodic re-authorization (reauthorizeMs).

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payrailApi } from "../../../api/definition";
import { runCli } from "../../../bin/cli";
import { dynamoDbClient, s3Client } from "../../../consumers/platform/aws";
import { tenantBucket, tenantTables } from "../../../core/storage/tables";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { disabledTenantLine } from "../../../local/provisioning";
import { RealtimeClient } from "../appsync/helpers";
import { TEST_ENV } from "../persistence/local-stack";
import { startWiredStack } from "./support";

let wired: Awaited<ReturnType<typeof startWiredStack>>;
let emulator: AppSyncEmulator;
let dir = "";

beforeAll(async () => {
  wired = await startWiredStack();
  emulator = await startAppSyncEmulator({
    api: payrailApi,
    port: 0,
    logger: () => {},
    reauthorizeMs: 100,
  });
  dir = await mkdtemp(join(tmpdir(), "payrail-delete-"));
  await mkdir(join(dir, "config", "tenants"), { recursive: true });
  const endpoints = { dynamodb: wired.stack.dynamoEndpoint, s3: wired.stack.s3Endpoint };
  await writeFile(join(dir, "local.json"), JSON.stringify({ endpoints, tenants: {} }));
});
afterAll(async () => {
  await emulator?.stop();
  await wired?.stop();
  await rm(dir, { recursive: true, force: true });
});

const PAYMENTS = "query { payments(limit: 1) { items { id } } }";
async function query(token: string) {
  const response = await fetch(emulator.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: token },
    body: JSON.stringify({ query: PAYMENTS }),
  });
  return { status: response.status, body: (await response.json()) as { errors?: { errorType?: string }[] } };
}
async function subscribe(token: string) {
  const auth = { host: new URL(emulator.url).host, Authorization: token };
  const client = await RealtimeClient.connect(emulator.realtimeUrl, auth);
  const answer = await client.init();
  client.close();
  return answer.type;
}
const WATCH = "subscription { onPaymentUpdated { tenantId paymentId status } }";
const acmeUpdate = { tenantId: "acme", paymentId: "pay_live", status: "EXECUTED" };
async function openSubscription(token: string) {
  const auth = { host: new URL(emulator.url).host, Authorization: token };
  const client = await RealtimeClient.connect(emulator.realtimeUrl, auth);
  expect((await client.init()).type).toBe("connection_ack");
  expect((await client.start("live", WATCH, {}, auth)).type).toBe("start_ack");
  return client;
}
const cli = async (...argv: string[]) => {
  const lines: string[] = [];
  const code = await runCli(
    [...argv, "--data", dir, "--config", join(dir, "config"), "--env", TEST_ENV],
    (l) => lines.push(l),
  );
  return { code, text: lines.join("\n") };
};

describe("payrail tenant delete", () => {
  it("refuses the tenant's token on HTTP and WebSocket right after, keeping its data", async () => {
    const token = wired.tokens.acme;
    expect((await query(token)).body.errors).toBeUndefined();
    expect(await subscribe(token)).toBe("connection_ack");
    const live = await openSubscription(token);
    expect(await emulator.publish("publishPaymentUpdate", acmeUpdate)).toBe(1);
    await live.next((m) => m.type === "data" && m.id === "live");
    await writeFile(join(dir, "config", "tenants", "acme.yaml"), "id: acme\n");

    const deleted = await cli("tenant", "delete", "acme");
    expect(deleted.code).toBe(0);
    expect(deleted.text).toContain("disabled acme: its API tokens are revoked");
    expect(deleted.text).toContain("kept its data");

    // The subscription opened before the delete: Unauthorized, then the server closes it.
    expect(await live.closed).toBe(1000);
    const ended = live.messages.find((m) => m.type === "connection_error");
    expect(ended?.payload.errors[0]).toMatchObject({ errorType: "UnauthorizedException", errorCode: 401 });
    expect(live.messages.find((m) => m.type === "error" && m.id === "live")).toBeDefined();
    expect(emulator.subscriptionCount()).toBe(0);
    expect(await emulator.publish("publishPaymentUpdate", acmeUpdate)).toBe(0);
    expect(live.messages.filter((m) => m.type === "data")).toHaveLength(1);

    const refused = await query(token);
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.map((e) => e.errorType)).toEqual(["UnauthorizedException"]);
    expect(await subscribe(token)).toBe("connection_error");
    // The other tenant is untouched.
    expect((await query(wired.tokens.globex)).body.errors).toBeUndefined();

    const dynamodb = dynamoDbClient({ endpoint: wired.stack.dynamoEndpoint });
    const table = tenantTables(TEST_ENV, "acme").payments;
    await expect(dynamodb.send(new DescribeTableCommand({ TableName: table }))).resolves.toBeDefined();
    expect((await cli("tenant", "delete", "acme")).code).toBe(0);
  });

  it("does not revive a disabled tenant when its config is provisioned again: one line", async () => {
    const again = await wired.stack.provision("acme");
    expect(again.apiToken).toBeUndefined();
    expect(again.disabledAt).toMatch(/^\d{4}-/);
    expect(disabledTenantLine("acme", again.disabledAt ?? "")).toMatch(
      /^tenant acme: disabled since .+ \(payrail tenant delete\); its config\/tenants\/acme\.yaml is ignored/,
    );
  });

  it("purges the tables and bucket with --purge, and says when a tenant does not exist", async () => {
    const purged = await cli("tenant", "delete", "globex", "--purge");
    expect(purged.code).toBe(0);
    const bucket = tenantBucket(TEST_ENV, "globex", "us");
    expect(purged.text).toContain(bucket);
    const s3 = s3Client({ endpoint: wired.stack.s3Endpoint });
    await expect(s3.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toThrow();
    const dynamodb = dynamoDbClient({ endpoint: wired.stack.dynamoEndpoint });
    const table = tenantTables(TEST_ENV, "globex").payments;
    await expect(dynamodb.send(new DescribeTableCommand({ TableName: table }))).rejects.toThrow();
    expect(await cli("tenant", "delete", "nobody")).toMatchObject({
      code: 1,
      text: "tenant nobody is not provisioned",
    });
    expect((await cli("tenant", "delete", "../etc")).code).toBe(2);
  });
});
