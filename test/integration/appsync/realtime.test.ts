import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { holdAuthorizer, revokeToken, TOKENS } from "../../fixtures/appsync/handlers/authorizer";
import { fixturePayrailApi, IAM_CREDENTIALS } from "../../fixtures/appsync/payrail-api";
import { RealtimeClient, signedGql } from "./helpers";

const SUBSCRIBE = `subscription Watch($paymentId: ID, $status: PaymentStatus) {
  onPaymentUpdated(paymentId: $paymentId, status: $status) { tenantId paymentId status reason }
}`;
const PUBLISH = `mutation Publish($input: PaymentUpdateInput!) {
  publishPaymentUpdate(input: $input) { tenantId paymentId status paymentType amount currency sequence eventType correlationId occurredAt }
}`;

const update = (tenantId: string, paymentId: string, status = "SETTLED") => ({
  tenantId,
  paymentId,
  status,
  paymentType: "CARD",
  amount: "12.50",
  currency: "EUR",
  sequence: 4,
  eventType: "PaymentSettled",
  reason: "should not leak: not selected by the mutation",
  correlationId: "corr-rt",
  occurredAt: "2026-01-01T10:00:00Z",
});

describe("AppSync real-time protocol", () => {
  let emulator: AppSyncEmulator;
  const clients: RealtimeClient[] = [];
  const host = () => new URL(emulator.url).host;
  const acmeAuth = () => ({ host: host(), Authorization: TOKENS.acme });
  const globexAuth = () => ({ host: host(), Authorization: TOKENS.globex });
  const connect = async (auth: Record<string, string> | null, via: "query" | "protocol" = "query") => {
    const client = await RealtimeClient.connect(emulator.realtimeUrl, auth, via);
    clients.push(client);
    return client;
  };
  const publish = (input: ReturnType<typeof update>) =>
    signedGql(emulator.url, IAM_CREDENTIALS, PUBLISH, { input });

  beforeAll(async () => {
    emulator = await startAppSyncEmulator({
      api: fixturePayrailApi,
      iamCredentials: [IAM_CREDENTIALS],
      logger: () => {},
      keepAliveMs: 100,
      connectionInitTimeoutMs: 300,
      reauthorizeMs: 100,
    });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await emulator.stop();
  });

  it("acknowledges connection_init with connectionTimeoutMs and sends keep-alives", async () => {
    const client = await connect(acmeAuth());
    expect(client.socket.protocol).toBe("graphql-ws");
    // Only the keep-alive interval is faked: sockets and the helpers' timeouts stay real.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      expect(await client.init()).toEqual({
        type: "connection_ack",
        payload: { connectionTimeoutMs: 300_000 },
      });
      // The ka sent with the ack may already be in; count from the ack on.
      const started = client.messages.findIndex((m) => m.type === "connection_ack") + 1;
      const kaCount = () => client.messages.slice(started).filter((m) => m.type === "ka").length;
      // One ka right after the ack, then one per keepAliveMs (100): 550 ms → 1 + 5.
      await client.next(() => kaCount() >= 1);
      vi.advanceTimersByTime(550);
      await client.next(() => kaCount() >= 6);
      const kas = kaCount();
      expect(kas).toBeGreaterThanOrEqual(3);
      expect(kas).toBeLessThanOrEqual(7);
    } finally {
      vi.useRealTimers();
    }
  });

  it("accepts the auth header as a header-<base64url> subprotocol (aws-amplify v6)", async () => {
    const client = await connect(acmeAuth(), "protocol");
    expect(client.socket.protocol).toBe("graphql-ws");
    expect((await client.init()).type).toBe("connection_ack");
  });

  it("answers bad or missing connection auth with connection_error (errorType, errorCode 401) and closes", async () => {
    for (const auth of [{ host: host(), Authorization: TOKENS.denied }, null]) {
      const client = await connect(auth);
      const reply = await client.init();
      expect(reply.type).toBe("connection_error");
      expect(reply.payload.errors[0]).toMatchObject({ errorType: "UnauthorizedException", errorCode: 401 });
      await client.closed;
    }
  });

  it("closes a connection that never sends connection_init", async () => {
    const client = await connect(acmeAuth());
    const code = await client.closed;
    expect(code).toBe(1000);
    expect(client.messages.at(-1)?.type).toBe("connection_error");
  });

  it("delivers a published update with the subscriber's selection; stop → complete ends delivery", async () => {
    const client = await connect(acmeAuth());
    await client.init();
    expect(await client.start("s1", SUBSCRIBE, { paymentId: "pay_acme" }, acmeAuth())).toEqual({
      type: "start_ack",
      id: "s1",
    });
    await publish(update("acme", "pay_acme"));
    const data = await client.next((m) => m.type === "data" && m.id === "s1");
    expect(data.payload).toEqual({
      data: {
        onPaymentUpdated: { tenantId: "acme", paymentId: "pay_acme", status: "SETTLED", reason: null },
      },
    });
    client.send({ type: "stop", id: "s1" });
    expect(await client.next((m) => m.type === "complete")).toEqual({ type: "complete", id: "s1" });
    expect(emulator.subscriptionCount()).toBe(0);
  });

  it("cancels a start that a stop overtakes while it is authorising: complete, no subscription, no data", async () => {
    const client = await connect(acmeAuth());
    await client.init();
    const gate = holdAuthorizer();
    client.send({
      type: "start",
      id: "raced",
      payload: {
        data: JSON.stringify({ query: SUBSCRIBE, variables: { paymentId: "pay_raced" } }),
        extensions: { authorization: { host: host(), Authorization: TOKENS.acmeHeld } },
      },
    });
    await gate.reached;
    client.send({ type: "stop", id: "raced" });
    expect(await client.next((m) => m.id === "raced")).toEqual({ type: "complete", id: "raced" });
    gate.release();
    // A witness on the same payment, started after the release, proves delivery happened.
    expect((await client.start("witness", SUBSCRIBE, { paymentId: "pay_raced" }, acmeAuth())).type).toBe(
      "start_ack",
    );
    expect(emulator.subscriptionCount()).toBe(1);
    await publish(update("acme", "pay_raced"));
    await client.next((m) => m.type === "data" && m.id === "witness");
    expect(client.messages.filter((m) => m.id === "raced")).toEqual([{ type: "complete", id: "raced" }]);
    client.send({ type: "stop", id: "witness" });
    await client.next((m) => m.type === "complete" && m.id === "witness");
    expect(emulator.subscriptionCount()).toBe(0);
  });

  it("narrows by the status argument through the enhanced filter", async () => {
    const client = await connect(acmeAuth());
    await client.init();
    await client.start("settled", SUBSCRIBE, { status: "SETTLED" }, acmeAuth());
    await publish(update("acme", "pay_acme", "EXECUTED"));
    await publish(update("acme", "pay_acme", "SETTLED"));
    const data = await client.next((m) => m.type === "data");
    expect(data.payload.data.onPaymentUpdated.status).toBe("SETTLED");
    expect(client.messages.filter((m) => m.type === "data")).toHaveLength(1);
  });

  it("never sends tenant B's update to tenant A, even when A subscribes with B's ids", async () => {
    const a = await connect(acmeAuth());
    const b = await connect(globexAuth());
    await a.init();
    await b.init();
    await a.start("spy", SUBSCRIBE, { paymentId: "pay_globex" }, acmeAuth());
    await a.start("own", SUBSCRIBE, {}, acmeAuth());
    await b.start("own", SUBSCRIBE, { paymentId: "pay_globex" }, globexAuth());
    await publish(update("globex", "pay_globex"));
    expect((await b.next((m) => m.type === "data")).payload.data.onPaymentUpdated.tenantId).toBe("globex");
    // A later update of A's own arrives; B's earlier one must not have.
    await publish(update("acme", "pay_acme"));
    await a.next((m) => m.type === "data" && m.id === "own");
    expect(
      a.messages.filter((m) => m.type === "data").map((m) => m.payload.data.onPaymentUpdated.tenantId),
    ).toEqual(["acme"]);
  });

  it("gives a non-null field the mutation did not select an error, as AppSync does", async () => {
    const client = await connect(acmeAuth());
    await client.init();
    await client.start("wide", `subscription { onPaymentUpdated { paymentId } }`, {}, acmeAuth());
    const narrow = `mutation P($input: PaymentUpdateInput!) { publishPaymentUpdate(input: $input) { tenantId status } }`;
    await signedGql(emulator.url, IAM_CREDENTIALS, narrow, { input: update("acme", "pay_acme") });
    const data = await client.next((m) => m.type === "data");
    expect(data.payload.data).toEqual({ onPaymentUpdated: null });
    expect(data.payload.errors[0].message).toMatch(/non-nullable field PaymentUpdate.paymentId/);
  });

  it("rejects a start with bad authorization, a bad query, or a field the mode may not use", async () => {
    const client = await connect(acmeAuth());
    await client.init();
    const badAuth = await client.start("a", SUBSCRIBE, {}, { host: host(), Authorization: TOKENS.denied });
    expect(badAuth).toMatchObject({
      type: "error",
      id: "a",
      payload: { errors: [{ errorType: "UnauthorizedException", errorCode: 401 }] },
    });
    const badQuery = await client.start("b", `subscription { onPaymentUpdated { nope } }`, {}, acmeAuth());
    expect(badQuery.type).toBe("error");
    expect(badQuery.payload.errors[0]).toMatchObject({ errorType: "ValidationError", errorCode: 400 });
    expect(badQuery.payload.errors[0].message).toMatch(/FieldUndefined/);
    const notSubscription = await client.start("c", `{ payments { nextToken } }`, {}, acmeAuth());
    expect(notSubscription.payload.errors[0].errorType).toBe("UnsupportedOperation");
  });

  it("reports an unknown subscription id on stop, unknown types and malformed frames, and keeps the connection", async () => {
    const client = await connect(acmeAuth());
    client.send({ type: "start", id: "early", payload: {} });
    expect((await client.next((m) => m.id === "early")).payload.errors[0].errorType).toBe(
      "UnsupportedOperation",
    );
    await client.init();
    client.send({ type: "stop", id: "ghost" });
    expect(await client.next((m) => m.id === "ghost")).toEqual({
      type: "error",
      id: "ghost",
      payload: { errors: [{ errorType: "UnknownOperationError", message: "Unknown subscription id ghost" }] },
    });
    client.send("{not json");
    expect((await client.next((m) => m.payload?.errors?.[0]?.errorType === "MessageParsingError")).type).toBe(
      "error",
    );
    for (const data of ["null", "42", "{broken"]) {
      client.send({
        type: "start",
        id: `bad-${data}`,
        payload: { data, extensions: { authorization: acmeAuth() } },
      });
      expect((await client.next((m) => m.id === `bad-${data}`)).type).toBe("error");
    }
    client.send({ type: "subscribe", id: "x" });
    expect((await client.next((m) => m.id === "x")).payload.errors[0].errorType).toBe("UnsupportedOperation");
    expect(await client.start("ok", SUBSCRIBE, {}, acmeAuth())).toEqual({ type: "start_ack", id: "ok" });
  });

  it("fans out emulator.publish() like a mutation and reports how many received it", async () => {
    for (const earlier of clients) earlier.close();
    await vi.waitFor(() => expect(emulator.subscriptionCount()).toBe(0), { timeout: 2_000, interval: 20 });
    expect(emulator.subscriptionCount()).toBe(0);
    const client = await connect(acmeAuth());
    await client.init();
    await client.start("direct", SUBSCRIBE, { paymentId: "pay_direct" }, acmeAuth());
    const delivered = await emulator.publish("publishPaymentUpdate", {
      tenantId: "acme",
      paymentId: "pay_direct",
      status: "EXECUTED",
    });
    expect(delivered).toBe(1);
    expect(
      (await client.next((m) => m.id === "direct" && m.type === "data")).payload.data.onPaymentUpdated,
    ).toEqual({
      tenantId: "acme",
      paymentId: "pay_direct",
      status: "EXECUTED",
      reason: null,
    });
    expect(
      await emulator.publish("publishPaymentUpdate", {
        tenantId: "globex",
        paymentId: "pay_direct",
        status: "EXECUTED",
      }),
    ).toBe(0);
  });

  it("ends an open connection whose token is revoked: error per subscription, connection_error, close", async () => {
    const revocableAuth = () => ({ host: host(), Authorization: TOKENS.acmeRevocable });
    const before = emulator.subscriptionCount();
    const client = await connect(revocableAuth());
    await client.init();
    const started = await client.start("doomed", SUBSCRIBE, { paymentId: "pay_revoked" }, revocableAuth());
    expect(started.type).toBe("start_ack");
    // A witness with a valid token on the same payment keeps its subscription.
    const witness = await connect(acmeAuth());
    await witness.init();
    expect((await witness.start("w", SUBSCRIBE, { paymentId: "pay_revoked" }, acmeAuth())).type).toBe(
      "start_ack",
    );
    expect(emulator.subscriptionCount()).toBe(before + 2);

    revokeToken(TOKENS.acmeRevocable);
    expect(await client.closed).toBe(1000);
    const unauthorized = { errorType: "UnauthorizedException", errorCode: 401 };
    const doomedError = client.messages.find((m) => m.id === "doomed" && m.type === "error");
    expect(doomedError?.payload.errors[0]).toMatchObject(unauthorized);
    expect(client.messages.at(-1)?.type).toBe("connection_error");
    expect(client.messages.at(-1)?.payload.errors[0]).toMatchObject(unauthorized);
    expect(emulator.subscriptionCount()).toBe(before + 1);

    expect(await emulator.publish("publishPaymentUpdate", update("acme", "pay_revoked"))).toBe(1);
    await witness.next((m) => m.type === "data" && m.id === "w");
    expect(client.messages.filter((m) => m.type === "data")).toEqual([]);
    witness.send({ type: "stop", id: "w" });
    await witness.next((m) => m.type === "complete" && m.id === "w");
  });

  it("survives arbitrary frames and HTTP bodies, answering each with an AppSync error", async () => {
    const client = await connect(acmeAuth());
    await client.init();
    const frames = fc.sample(
      fc.oneof(
        fc.string(),
        fc.json(),
        fc
          .record({
            type: fc.constantFrom("start", "stop", "connection_init", "ka"),
            id: fc.string(),
            payload: fc.jsonValue(),
          })
          .map((m) => JSON.stringify(m)),
      ),
      { numRuns: 60, seed: 7 },
    );
    for (const frame of frames) client.send(frame);
    for (const body of frames.slice(0, 20)) {
      const response = await fetch(emulator.url, {
        method: "POST",
        headers: { authorization: TOKENS.acme },
        body,
      });
      expect(response.status).toBeLessThan(500);
    }
    expect(await client.start("after-fuzz", SUBSCRIBE, {}, acmeAuth())).toEqual({
      type: "start_ack",
      id: "after-fuzz",
    });
  });
});
