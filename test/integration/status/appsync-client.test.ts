// The status service's AppSync client against the local emulator: each update is one
// SigV4-signed request with the un-aliased publishPaymentUpdate field and reaches the
// tenant's subscribers; an error answer fails the call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppSyncRequestError, iamAppSyncClient } from "../../../consumers/platform/appsync-client";
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

describe("AppSync client", () => {
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

  it("publishes each update in a signed request of its own, reaching subscribers in order", async () => {
    const requests: { query: string; signed: boolean }[] = [];
    const client = iamAppSyncClient({
      url: emulator.url,
      region: "eu-west-1",
      credentials: IAM_CREDENTIALS,
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        const { query } = JSON.parse(String(init?.body)) as { query: string };
        requests.push({
          query,
          signed: headers.get("authorization")?.startsWith("AWS4-HMAC-SHA256") ?? false,
        });
        return fetch(input, init);
      },
    });
    const updates = [
      update("pay_a", 2, "RISK_APPROVED", "INITIATED"),
      update("pay_a", 3, "EXECUTED", "RISK_APPROVED"),
      update("pay_a", 4, "SETTLED", "EXECUTED"),
    ];
    for (const input of updates) {
      expect(await client.publishPaymentUpdate(input)).toMatchObject({
        paymentId: "pay_a",
        status: input.status,
      });
    }
    expect(requests).toHaveLength(3);
    for (const request of requests) {
      expect(request.signed).toBe(true);
      // Never aliased: AppSync ties subscriptions to the mutation field as answered.
      expect(request.query).toMatch(/^\s*publishPaymentUpdate\(input: \$input\)/m);
    }
    await subscriber.next(
      (m) => m.type === "data" && m.payload?.data?.onPaymentUpdated?.status === "SETTLED",
    );
    const delivered = subscriber.messages
      .filter((m) => m.type === "data")
      .map((m) => m.payload.data.onPaymentUpdated)
      .map((u) => [u.paymentId, u.sequence, u.status, u.previousStatus]);
    expect(delivered).toEqual([
      ["pay_a", 2, "RISK_APPROVED", "INITIATED"],
      ["pay_a", 3, "EXECUTED", "RISK_APPROVED"],
      ["pay_a", 4, "SETTLED", "EXECUTED"],
    ]);
  });

  it("fails the call when AppSync answers with an error", async () => {
    const client = iamAppSyncClient({
      url: "https://example.appsync-api.eu-west-1.amazonaws.com/graphql",
      region: "eu-west-1",
      credentials: IAM_CREDENTIALS,
      fetch: async () =>
        new Response(
          JSON.stringify({
            data: { publishPaymentUpdate: null },
            errors: [{ message: "boom", errorType: "Unauthorized", path: ["publishPaymentUpdate"] }],
          }),
          { status: 200 },
        ),
    });
    await expect(
      client.publishPaymentUpdate(update("pay_1", 2, "RISK_APPROVED", "INITIATED")),
    ).rejects.toThrow(AppSyncRequestError);
  });
});
