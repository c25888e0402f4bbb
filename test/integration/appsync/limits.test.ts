// #16 query cost: mutation root fields, response size and the per-tenant rate, each with
// its error shape, against the real emulator. (Depth: http.test.ts; resolver count: features.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { TOKENS } from "../../fixtures/appsync/handlers/authorizer";
import { fixturePayrailApi } from "../../fixtures/appsync/payrail-api";
import { gql, RealtimeClient } from "./helpers";

const INITIATE_FIELDS = (n: number) =>
  `mutation ($input: InitiatePaymentInput!) { ${Array.from(
    { length: n },
    (_, i) => `p${i}: initiatePayment(input: $input) { id }`,
  ).join(" ")} }`;
const ALIASED_PAYMENTS = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `p${i}: payment(id: "pay_acme") { id }`).join(" ")} }`;

describe("emulator cost limits", () => {
  const emulators: AppSyncEmulator[] = [];
  const start = async (limits: Parameters<typeof startAppSyncEmulator>[0]["limits"]) => {
    const emulator = await startAppSyncEmulator({ api: fixturePayrailApi, limits, logger: () => {} });
    emulators.push(emulator);
    return emulator;
  };
  afterAll(() => Promise.all(emulators.map((e) => e.stop())));

  describe("per request", () => {
    let emulator: AppSyncEmulator;
    beforeAll(async () => {
      emulator = await start({ responseSizeLimitBytes: 2_000 });
    });
    const asAcme = (query: string, variables: Record<string, unknown> = {}) =>
      gql(emulator.url, { authorization: TOKENS.acme }, query, variables);

    it.each([11, 50])(
      "refuses %i aliased initiatePayment before running any (default limit 10)",
      async (n) => {
        const { status, body } = await asAcme(INITIATE_FIELDS(n), { input: {} });
        expect(status).toBe(400);
        expect(body).toEqual({
          data: null,
          errors: [
            {
              path: null,
              locations: null,
              errorType: "MutationFieldLimitExceeded",
              message: "Mutation root fields (aliases included) exceed the limit of 10 per request",
            },
          ],
        });
      },
    );

    it("replaces a response over the size limit with ResponseSizeLimitExceeded", async () => {
      const small = await asAcme('{ payment(id: "pay_acme") { id } }');
      expect(small.body.errors).toBeUndefined();
      const { status, body } = await asAcme("{ __schema { types { name description } } }");
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]).toMatchObject({
        path: null,
        locations: null,
        errorType: "ResponseSizeLimitExceeded",
      });
      expect(body.errors[0].message).toMatch(/^Response of \d+ bytes exceeds the limit of 2000 bytes/);
    });
  });

  describe("per tenant rate", () => {
    let emulator: AppSyncEmulator;
    // No refill within a test run: the counts below are exact.
    beforeAll(async () => {
      emulator = await start({ tenantRate: { tokensPerSecond: 0.001, burst: 5 } });
    });
    const as = (token: string, query: string) => gql(emulator.url, { authorization: token }, query);

    it("throttles a tenant past its burst with TooManyRequestsException and leaves another alone", async () => {
      const acme = [];
      for (let i = 0; i < 5; i++)
        acme.push((await as(TOKENS.acme, '{ payment(id: "pay_acme") { id } }')).status);
      expect(acme).toEqual([200, 200, 200, 200, 200]);
      const throttled = await fetch(emulator.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: TOKENS.acme },
        body: JSON.stringify({ query: '{ payment(id: "pay_acme") { id } }' }),
      });
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await throttled.json()).toEqual({
        errors: [
          {
            errorType: "TooManyRequestsException",
            message: expect.stringMatching(
              /^Rate limit exceeded: this request costs 1 \(one per root field\)/,
            ),
          },
        ],
      });
      // The same tenant through another token shares the bucket; another tenant has its own.
      expect((await as(TOKENS.acmeUncached, "{ __typename }")).status).toBe(429);
      expect((await as(TOKENS.globex, '{ payment(id: "pay_globex") { id } }')).status).toBe(200);
    });

    it("charges one token per root field, so an alias bomb is throttled at once", async () => {
      // globex has 4 tokens left: 5 aliases do not fit, 4 do.
      expect((await as(TOKENS.globex, ALIASED_PAYMENTS(5))).status).toBe(429);
      expect((await as(TOKENS.globex, ALIASED_PAYMENTS(4))).status).toBe(200);
      expect((await as(TOKENS.globex, ALIASED_PAYMENTS(1))).status).toBe(429);
    });
  });

  describe("per tenant rate on WebSocket starts", () => {
    it("throttles a tenant's starts with LimitExceededError and leaves another's alone", async () => {
      const emulator = await start({ tenantRate: { tokensPerSecond: 0.001, burst: 2 } });
      const host = new URL(emulator.url).host;
      const watch = "subscription { onPaymentUpdated { paymentId } }";
      const subscriber = async (token: string) => {
        const client = await RealtimeClient.connect(emulator.realtimeUrl, { host, Authorization: token });
        expect((await client.init()).type).toBe("connection_ack");
        return {
          client,
          start: (id: string) => client.start(id, watch, {}, { host, Authorization: token }),
        };
      };
      const [acme, globex] = await Promise.all([subscriber(TOKENS.acme), subscriber(TOKENS.globex)]);
      try {
        expect((await acme.start("a1")).type).toBe("start_ack");
        expect((await acme.start("a2")).type).toBe("start_ack");
        const throttled = await acme.start("a3");
        expect(throttled).toEqual({
          type: "error",
          id: "a3",
          payload: { errors: [{ errorType: "LimitExceededError", message: "Rate limit exceeded" }] },
        });
        expect((await globex.start("g1")).type).toBe("start_ack");
      } finally {
        acme.client.close();
        globex.client.close();
      }
    });
  });
});
