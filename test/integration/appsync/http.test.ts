import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { calls, TOKENS } from "../../fixtures/appsync/handlers/authorizer";
import { requests } from "../../fixtures/appsync/handlers/payments-api";
import { fixturePayrailApi, IAM_CREDENTIALS } from "../../fixtures/appsync/payrail-api";
import { gql, signedGql } from "./helpers";

const PAYMENT = `query One($id: ID!) { payment(id: $id) { id status amount payer { name cardLast4 } metadata } }`;
const INITIATE = `mutation Start($input: InitiatePaymentInput!) {
  initiatePayment(input: $input) { id status amount currency correlationId payer { name cardLast4 } }
}`;
const PUBLISH = `mutation Publish($input: PaymentUpdateInput!) {
  publishPaymentUpdate(input: $input) { tenantId paymentId status amount currency sequence eventType correlationId occurredAt paymentType }
}`;

const update = (tenantId: string, paymentId: string) => ({
  tenantId,
  paymentId,
  status: "SETTLED",
  paymentType: "CARD",
  amount: "12.50",
  currency: "EUR",
  sequence: 4,
  eventType: "PaymentSettled",
  correlationId: "corr-9",
  occurredAt: "2026-01-01T10:00:00Z",
});

describe("AppSync emulator over HTTP", () => {
  let emulator: AppSyncEmulator;
  const logs: Record<string, unknown>[] = [];
  const acme = { authorization: TOKENS.acme };

  beforeAll(async () => {
    emulator = await startAppSyncEmulator({
      api: fixturePayrailApi,
      iamCredentials: [IAM_CREDENTIALS],
      logger: (line) => logs.push(line),
      limits: { queryDepthLimit: 4 },
    });
  });
  afterAll(() => emulator.stop());

  it("runs a query through the real pipeline resolver with the tenant from the identity", async () => {
    const { status, body } = await gql(
      emulator.url,
      { ...acme, "x-correlation-id": "corr-http-1" },
      PAYMENT,
      { id: "pay_acme" },
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        payment: {
          id: "pay_acme",
          status: "IN_REVIEW",
          amount: "12.50",
          payer: { name: "Ada", cardLast4: "4242" },
          metadata: JSON.stringify({ tenant: "acme" }),
        },
      },
    });
    expect(requests.at(-1)).toMatchObject({
      field: "payment",
      tenantId: "acme",
      scopes: ["payments:read", "payments:write"],
      principal: "token-acme",
      correlationId: "corr-http-1",
    });
    expect(logs.find((l) => l.msg === "graphql" && l.correlationId === "corr-http-1")).toMatchObject({
      tenantId: "acme",
      operation: "query",
      operationName: "One",
    });
  });

  it("answers another tenant's payment exactly like a missing one", async () => {
    const other = await gql(emulator.url, acme, PAYMENT, { id: "pay_globex" });
    const missing = await gql(emulator.url, acme, PAYMENT, { id: "pay_nobody" });
    expect(other.body).toEqual({ data: { payment: null } });
    expect(other.body).toEqual(missing.body);
  });

  it("turns an API handler's { error } into an AppSync error with type and errorInfo", async () => {
    const { status, body } = await gql(
      emulator.url,
      acme,
      `mutation { approvePayment(id: "pay_acme", reason: "ok") { id } }`,
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      data: null,
      errors: [
        {
          path: ["approvePayment"],
          data: null,
          errorType: "InvalidState",
          errorInfo: { status: "SETTLED" },
          locations: [{ line: 1, column: 12, sourceName: null }],
          message: "Not in review",
        },
      ],
    });
  });

  it("runs a mutation whose correlation id comes from the input", async () => {
    const input = {
      idempotencyKey: "k1",
      amount: "10.00",
      currency: "EUR",
      paymentType: "CARD",
      payer: {
        name: "Ada",
        card: { number: "4242424242424242", expiryMonth: 1, expiryYear: 2030, cvc: "123" },
      },
      correlationId: "corr-input",
      metadata: JSON.stringify({ order: 7 }),
    };
    const { body } = await gql(emulator.url, acme, INITIATE, { input });
    expect(body.data.initiatePayment).toEqual({
      id: "pay_acme_k1",
      status: "INITIATED",
      amount: "10.00",
      currency: "EUR",
      correlationId: "corr-input",
      payer: { name: "Ada", cardLast4: "4242" },
    });
    expect(JSON.stringify(logs)).not.toContain("4242424242424242");
  });

  it("rejects missing and bad credentials with 401 UnauthorizedException before anything runs", async () => {
    const before = requests.length;
    const missing = await gql(emulator.url, {}, PAYMENT, { id: "pay_acme" });
    expect(missing).toEqual({
      status: 401,
      body: {
        errors: [{ errorType: "UnauthorizedException", message: "Valid authorization header not provided." }],
      },
    });
    const denied = await gql(emulator.url, { authorization: TOKENS.denied }, PAYMENT, { id: "pay_acme" });
    expect(denied.status).toBe(401);
    expect(denied.body.errors[0].errorType).toBe("UnauthorizedException");
    const broken = await gql(emulator.url, { authorization: TOKENS.broken }, PAYMENT, { id: "pay_acme" });
    expect(broken.status).toBe(401);
    expect(logs.find((l) => l.msg === "lambda authorizer failed")?.error).toMatch(
      /control-plane table unreachable/,
    );
    const malformed = await gql(emulator.url, { authorization: "not a token" }, PAYMENT, { id: "pay_acme" });
    expect(malformed.status).toBe(401);
    expect(requests.length).toBe(before);
  });

  it("caches authorizer answers per token unless ttlOverride is 0", async () => {
    await gql(emulator.url, acme, PAYMENT, { id: "pay_acme" });
    await gql(emulator.url, acme, PAYMENT, { id: "pay_acme" });
    expect(calls.filter((t) => t === TOKENS.acme)).toHaveLength(1);
    await gql(emulator.url, { authorization: TOKENS.acmeUncached }, PAYMENT, { id: "pay_acme" });
    await gql(emulator.url, { authorization: TOKENS.acmeUncached }, PAYMENT, { id: "pay_acme" });
    expect(calls.filter((t) => t === TOKENS.acmeUncached)).toHaveLength(2);
  });

  it("honours the authorizer's deniedFields per field", async () => {
    const { body } = await gql(
      emulator.url,
      { authorization: TOKENS.acmeLimited },
      `{ payment(id: "pay_acme") { id } payments { items { id } } }`,
    );
    expect(body.data).toEqual({ payment: null, payments: { items: [{ id: "pay_acme" }] } });
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ["payment"],
        errorType: "Unauthorized",
        message: "Not Authorized to access payment on type Query",
      }),
    ]);
  });

  it("validates against the schema before any resolver runs (AppSync's error shape, 400)", async () => {
    const before = requests.length;
    const { status, body } = await gql(emulator.url, acme, `{ payment(id: "x") { nope } }`);
    expect(status).toBe(400);
    expect(body.data).toBeNull();
    expect(body.errors[0]).toMatchObject({
      path: null,
      locations: [{ line: 1, column: 22, sourceName: null }],
      message: expect.stringMatching(/^Validation error of type FieldUndefined: /),
    });
    const syntax = await gql(emulator.url, acme, `{ payment(id: `);
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors[0].message).toMatch(/InvalidSyntax/);
    expect(requests.length).toBe(before);
  });

  it("rejects invalid AppSync scalar values in variables and literals", async () => {
    const badJson = await gql(emulator.url, acme, INITIATE, {
      input: {
        idempotencyKey: "k",
        amount: "1",
        currency: "EUR",
        paymentType: "CARD",
        payer: { name: "A" },
        metadata: "{not json",
      },
    });
    expect(badJson.status).toBe(200);
    expect(badJson.body.errors[0].message).toMatch(/AWSJSON/);
    const badDate = await gql(
      emulator.url,
      acme,
      `{ payments(filter: { createdAfter: "2026-02-30T00:00:00Z" }) { nextToken } }`,
    );
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors[0].message).toMatch(/AWSDateTime/);
  });

  it("enforces the configured query depth limit", async () => {
    const { status, body } = await gql(emulator.url, acme, `{ payments { items { payer { name } } } }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const deep = await gql(emulator.url, acme, `{ payments { items { risk { reasons } payer { name } } } }`);
    expect(deep.body.errors).toBeUndefined();
    const limited = await startAppSyncEmulator({
      api: fixturePayrailApi,
      logger: () => {},
      limits: { queryDepthLimit: 2 },
    });
    try {
      const rejected = await gql(limited.url, acme, `{ payments { items { payer { name } } } }`);
      expect(rejected.status).toBe(400);
      expect(rejected.body.errors[0].message).toBe("Query depth exceeds the limit of 2");
    } finally {
      await limited.stop();
    }
  });

  it("lets only IAM callers publish, verifying SigV4 against local credentials", async () => {
    const byToken = await gql(emulator.url, acme, PUBLISH, { input: update("acme", "pay_acme") });
    expect(byToken.body.errors[0]).toMatchObject({
      errorType: "Unauthorized",
      path: ["publishPaymentUpdate"],
    });
    const signed = await signedGql(emulator.url, IAM_CREDENTIALS, PUBLISH, {
      input: update("acme", "pay_acme"),
    });
    expect(signed.status).toBe(200);
    expect(signed.body.data.publishPaymentUpdate).toMatchObject({ tenantId: "acme", status: "SETTLED" });
    const forged = await signedGql(
      emulator.url,
      { accessKeyId: IAM_CREDENTIALS.accessKeyId, secretAccessKey: "wrong" },
      PUBLISH,
      { input: update("acme", "pay_acme") },
    );
    expect(forged.status).toBe(403);
    expect(forged.body.errors[0].errorType).toBe("UnauthorizedException");
  });

  it("answers malformed bodies with AppSync errors and keeps serving", async () => {
    const response = await fetch(emulator.url, { method: "POST", headers: acme, body: "{oops" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ errorType: "MalformedHttpRequestException", message: "Unable to parse the JSON document" }],
    });
    const after = await gql(emulator.url, acme, PAYMENT, { id: "pay_acme" });
    expect(after.status).toBe(200);
  });

  it("takes the tenant from an OIDC token's tenant_id claim, never from arguments", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const issuer = "https://login.payrail.test";
    const oidcEmulator = await startAppSyncEmulator({
      api: fixturePayrailApi,
      oidc: { issuer, jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: "o1", alg: "ES256" }] } },
      logger: () => {},
    });
    try {
      const token = await new SignJWT({ tenant_id: "globex", scope: "payments:read" })
        .setProtectedHeader({ alg: "ES256", kid: "o1" })
        .setIssuer(issuer)
        .setSubject("app-user-1")
        .setExpirationTime("5m")
        .sign(privateKey);
      const { body } = await gql(oidcEmulator.url, { authorization: token }, PAYMENT, { id: "pay_globex" });
      expect(body.data.payment.id).toBe("pay_globex");
      expect(requests.at(-1)).toMatchObject({
        tenantId: "globex",
        scopes: ["payments:read"],
        principal: "app-user-1",
      });
    } finally {
      await oidcEmulator.stop();
    }
  });
});
