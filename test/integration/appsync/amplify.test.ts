// The unmodified aws-amplify v6 client against the emulator: HTTP for queries and
// mutations, AppSync real-time over wss:// (Amplify always upgrades to TLS) using the
// local CA from local/appsync/tls.ts, trusted by passing it to the ws polyfill.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Amplify } from "aws-amplify";
import { generateClient } from "aws-amplify/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { ensureLocalTls } from "../../../local/tls/local-ca";
import { TOKENS } from "../../fixtures/appsync/handlers/authorizer";
import { fixturePayrailApi, IAM_CREDENTIALS } from "../../fixtures/appsync/payrail-api";
import { subscriptionAck } from "../../support/subscription-ack";
import { signedGql } from "./helpers";

const PAYMENT = `query One($id: ID!) { payment(id: $id) { id status amount currency } }`;
const INITIATE = `mutation Start($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id status amount } }`;
const WATCH = `subscription Watch($paymentId: ID) { onPaymentUpdated(paymentId: $paymentId) { tenantId paymentId status sequence } }`;
const PUBLISH = `mutation Publish($input: PaymentUpdateInput!) {
  publishPaymentUpdate(input: $input) { tenantId paymentId status previousStatus paymentType amount currency sequence eventType correlationId occurredAt }
}`;

describe("aws-amplify v6 generateClient against the emulator", () => {
  let emulator: AppSyncEmulator;
  let dir: string;
  const originalWebSocket = globalThis.WebSocket;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "payrail-appsync-tls-"));
    const tls = await ensureLocalTls(dir, { hosts: ["127.0.0.1"] });
    emulator = await startAppSyncEmulator({
      api: fixturePayrailApi,
      iamCredentials: [IAM_CREDENTIALS],
      logger: () => {},
      tls: { key: tls.keyPem, cert: tls.certPem },
    });
    class TrustingWebSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { ca: tls.caCertPem });
      }
    }
    (globalThis as { WebSocket: unknown }).WebSocket = TrustingWebSocket;
    Amplify.configure({
      API: { GraphQL: { endpoint: emulator.url, region: "eu-west-1", defaultAuthMode: "lambda" } },
    });
  });

  afterAll(async () => {
    (globalThis as { WebSocket: unknown }).WebSocket = originalWebSocket;
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("runs a query and a mutation over HTTP", async () => {
    const client = generateClient();
    const query = (await client.graphql({
      query: PAYMENT,
      variables: { id: "pay_acme" },
      authToken: TOKENS.acme,
    })) as {
      data: unknown;
    };
    expect(query.data).toEqual({
      payment: { id: "pay_acme", status: "IN_REVIEW", amount: "12.50", currency: "EUR" },
    });
    const input = {
      idempotencyKey: "amp-1",
      amount: "3.00",
      currency: "EUR",
      paymentType: "SEPA_CREDIT",
      payer: { name: "Bo" },
    };
    const mutation = (await client.graphql({
      query: INITIATE,
      variables: { input },
      authToken: TOKENS.acme,
    })) as {
      data: unknown;
    };
    expect(mutation.data).toEqual({
      initiatePayment: { id: "pay_acme_amp-1", status: "INITIATED", amount: "3.00" },
    });
  });

  it("receives a live subscription event carrying the mutation's data", async () => {
    const client = generateClient();
    const acked = subscriptionAck({ paymentId: "pay_acme" });
    const received = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no subscription event within 10 s")), 10_000);
      const observable = client.graphql({
        query: WATCH,
        variables: { paymentId: "pay_acme" },
        authToken: TOKENS.acme,
      });
      const subscription = (observable as { subscribe: (o: object) => { unsubscribe(): void } }).subscribe({
        next: (event: unknown) => {
          clearTimeout(timer);
          subscription.unsubscribe();
          resolve(event);
        },
        error: (error: unknown) => {
          clearTimeout(timer);
          reject(new Error(JSON.stringify(error)));
        },
      });
    });
    await acked;
    expect(emulator.subscriptionCount()).toBe(1);
    const input = {
      tenantId: "acme",
      paymentId: "pay_acme",
      status: "SETTLED",
      previousStatus: "EXECUTED",
      paymentType: "CARD",
      amount: "12.50",
      currency: "EUR",
      sequence: 5,
      eventType: "PaymentSettled",
      correlationId: "corr-amplify",
      occurredAt: "2026-01-01T10:00:00Z",
    };
    const published = await signedGql(emulator.url, IAM_CREDENTIALS, PUBLISH, { input });
    expect(published.body.errors).toBeUndefined();
    expect(await received).toMatchObject({
      data: { onPaymentUpdated: { tenantId: "acme", paymentId: "pay_acme", status: "SETTLED", sequence: 5 } },
    });
  });
});
