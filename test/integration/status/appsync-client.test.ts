// The status service's AppSync client against the local emulator: several updates in one
// signed request (aliased publishPaymentUpdate fields) reach subscribers one by one, in
// order; large batches are split into bounded requests; a failed field fails the call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AppSyncRequestError,
  iamAppSyncClient,
  MAX_UPDATES_PER_REQUEST,
} from "../../../consumers/shared/appsync-client";
import type { PaymentUpdateInput } from "../../../core/generated/graphql";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { TOKENS } from "../../fixtures/appsync/handlers/authorizer";
import { fixturePayrailApi, IAM_CREDENTIALS } from "../../fixtures/appsync/payrail-api";
import { RealtimeClient } from "../appsync/helpers";

const SUBSCRIBE = `subscription Watch {
  onPaymentUpdated { tenantId paymentId status previousStatus sequence }
}`;

const update = (paymentId: string, sequence: number, status: string, previousStatus: string | null) =>
  ({
    tenantId: "acme",
    paymentId,
    status,
    previousStatus,
    paymentType: "CARD",
    amount: "12.50",
    currency: "EUR",
    sequence,
    eventType: "PaymentStatusChanged",
    reason: null,
    correlationId: `corr-${paymentId}`,
    occurredAt: "2026-11-27T08:00:00.000Z",
  }) as PaymentUpdateInput;

describe("AppSync client, several updates per request", () => {
  let emulator: AppSyncEmulator;
  let subscriber: RealtimeClient;
  beforeAll(async () => {
    emulator = await startAppSyncEmulator({
      api: fixturePayrailApi,
      iamCredentials: [IAM_CREDENTIALS],
      logger: () => {},
    });
    const auth = { host: new URL(emulator.url).host, Authorization: TOKENS.acme };
    subscriber = await RealtimeClient.connect(emulator.realtimeUrl, auth);
    await subscriber.init();
    await subscriber.start("all", SUBSCRIBE, {}, auth);
  });
  afterAll(async () => {
    subscriber?.close();
    await emulator?.stop();
  });

  it("publishes each aliased field to subscribers, in the order of the request", async () => {
    const requests: string[] = [];
    const client = iamAppSyncClient({
      url: emulator.url,
      region: "eu-west-1",
      credentials: IAM_CREDENTIALS,
      fetch: (input, init) => {
        requests.push(String(init?.body));
        return fetch(input, init);
      },
    });
    const updates = [
      update("pay_a", 2, "RISK_APPROVED", "INITIATED"),
      update("pay_b", 2, "RISK_APPROVED", "INITIATED"),
      update("pay_a", 3, "EXECUTED", "RISK_APPROVED"),
      update("pay_a", 4, "SETTLED", "EXECUTED"),
    ];
    const published = await client.publishPaymentUpdates?.(updates);
    expect(requests).toHaveLength(1);
    expect(published?.map((u) => [u.paymentId, u.status])).toEqual(
      updates.map((u) => [u.paymentId, u.status]),
    );

    await subscriber.next(
      (m) => m.type === "data" && m.payload?.data?.onPaymentUpdated?.status === "SETTLED",
    );
    const delivered = subscriber.messages
      .filter((m) => m.type === "data")
      .map((m) => m.payload.data.onPaymentUpdated)
      .map((u) => [u.paymentId, u.sequence, u.status, u.previousStatus]);
    expect(delivered).toEqual([
      ["pay_a", 2, "RISK_APPROVED", "INITIATED"],
      ["pay_b", 2, "RISK_APPROVED", "INITIATED"],
      ["pay_a", 3, "EXECUTED", "RISK_APPROVED"],
      ["pay_a", 4, "SETTLED", "EXECUTED"],
    ]);
  });

  it("splits a large batch into requests of at most MAX_UPDATES_PER_REQUEST fields, one after another", async () => {
    const bodies: { query: string; variables: Record<string, PaymentUpdateInput> }[] = [];
    let inFlight = 0;
    let overlapped = false;
    const client = iamAppSyncClient({
      url: "https://example.appsync-api.eu-west-1.amazonaws.com/graphql",
      region: "eu-west-1",
      credentials: IAM_CREDENTIALS,
      fetch: async (_input, init) => {
        const body = JSON.parse(String(init?.body)) as (typeof bodies)[number];
        bodies.push(body);
        overlapped ||= inFlight > 0;
        inFlight++;
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        const data = Object.fromEntries(
          Object.values(body.variables).map((input, i) => [
            `u${i}`,
            { ...input, __typename: "PaymentUpdate" },
          ]),
        );
        return new Response(JSON.stringify({ data }), { status: 200 });
      },
    });
    const updates = Array.from({ length: 2 * MAX_UPDATES_PER_REQUEST + 7 }, (_, i) =>
      update(`pay_${i}`, 2, "RISK_APPROVED", "INITIATED"),
    );
    const published = await client.publishPaymentUpdates?.(updates);
    expect(bodies.map((b) => Object.keys(b.variables).length)).toEqual([
      MAX_UPDATES_PER_REQUEST,
      MAX_UPDATES_PER_REQUEST,
      7,
    ]);
    expect(overlapped).toBe(false);
    expect(bodies[2]?.query).toContain("u6: publishPaymentUpdate(input: $i6)");
    expect(published?.map((u) => u.paymentId)).toEqual(updates.map((u) => u.paymentId));
  });

  it("fails the call when a field comes back with an error", async () => {
    const client = iamAppSyncClient({
      url: "https://example.appsync-api.eu-west-1.amazonaws.com/graphql",
      region: "eu-west-1",
      credentials: IAM_CREDENTIALS,
      fetch: async () =>
        new Response(
          JSON.stringify({
            data: { u0: { paymentId: "pay_1" }, u1: null },
            errors: [{ message: "boom", errorType: "Unauthorized", path: ["u1"] }],
          }),
          { status: 200 },
        ),
    });
    await expect(
      client.publishPaymentUpdates?.([
        update("pay_1", 2, "RISK_APPROVED", "INITIATED"),
        update("pay_2", 2, "RISK_APPROVED", "INITIATED"),
      ]),
    ).rejects.toThrow(AppSyncRequestError);
  });
});
