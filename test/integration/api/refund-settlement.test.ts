// Bank refunds take their rail's settlement day (fast-forwarded here, as `npm start` does,
// through core's fastForwardRefundSettlement), on the real pipeline: a SEPA refund is PENDING
// at the bank first, the sweeper asks again once the day is over, and RefundSucceeded (or
// RefundFailed for .77) reaches subscribers, with the negative settlement line dated on the
// day it settled. A card refund is still answered at once, without the sweeper.
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ApiContext } from "../../../consumers/api/context";
import { republishDueRefunds } from "../../../consumers/auth-sweeper/refunds";
import { startAuthorizationSweeper } from "../../../consumers/auth-sweeper/sweep";
import { s3Client } from "../../../consumers/platform/aws";
import type {
  InitiatePaymentInput,
  Payment,
  PaymentUpdateInput,
  Refund,
} from "../../../core/generated/graphql";
import { fastForwardRefundSettlement } from "../../../core/processors";
import { type Harness, startHarness } from "../pipeline/harness";
import {
  apiRequest,
  cardInput,
  listedWaiting,
  type RefundCall,
  recordingRefunds,
  sepaInput,
} from "./support";

const SETTLEMENT_MS = 1_500;

/** Every refund call a processor answered, in order. */
const refundCalls: RefundCall[] = [];

let h: Harness;
let ctx: ApiContext;
beforeAll(async () => {
  h = await startHarness({
    configure: (config) => ({
      ...config,
      routing: {
        ...config.routing,
        personalities: fastForwardRefundSettlement(config.routing.personalities, SETTLEMENT_MS),
      },
    }),
    processors: (config) => recordingRefunds(config.routing.personalities, refundCalls),
  });
  ctx = h.apiContext();
});
afterAll(() => h.stop());

/** The sweeper's loop, as `npm start` runs it, every 100 ms. */
const sweeping = () =>
  startAuthorizationSweeper({
    ctx,
    tenantIds: () => ["acme"],
    personalities: h.config.routing.personalities,
    intervalMs: 100,
    onError: (error) => {
      throw error;
    },
  });

const api = () => h.paymentsApi();
const refundOf = async (paymentId: string, amount: string, key: string) =>
  (
    (await api()(
      apiRequest("acme", "refundPayment", {
        input: { paymentId, amount, reason: "REQUESTED_BY_CUSTOMER", idempotencyKey: key },
      }),
    )) as { data: Refund }
  ).data;
const getPayment = async (id: string) =>
  ((await api()(apiRequest("acme", "payment", { id }))) as { data: Payment }).data;

async function settled(input: Record<string, unknown>): Promise<string> {
  const id = ((await h.initiate("acme", input as InitiatePaymentInput)) as { data: Payment }).data.id;
  await h.waitFor(id, "SETTLED");
  return id;
}

const listed = () => listedWaiting(h.stores.forTenant("acme").refunds);
const refundUpdates = (id: string) =>
  h.updates.filter((u) => u.paymentId === id && u.refundId).map((u) => [u.eventType, u.refundStatus]);

function waitForRefund(id: string, refundId: string, status: string): Promise<PaymentUpdateInput> {
  return vi.waitFor(
    () => {
      const found = h.updates.find((u) => u.refundId === refundId && u.refundStatus === status);
      if (!found) throw new Error(`refund ${refundId} of ${id} is not ${status} yet`);
      return found;
    },
    { timeout: 15_000, interval: 25 },
  );
}

/** Resolves once the processor answered a refund of the payment (execution consumed the request). */
const answeredAtRail = (paymentId: string) =>
  vi.waitFor(
    () => {
      const call = refundCalls.find((c) => c.paymentId === paymentId);
      if (!call) throw new Error(`no refund call for ${paymentId} yet`);
      return call;
    },
    { timeout: 15_000, interval: 25 },
  );

describe("SEPA refunds take a (fast-forwarded) settlement day", () => {
  it("is PENDING at the bank first, SUCCEEDED after the day, live, with a negative line that day", async () => {
    const id = await settled({ ...sepaInput("rs-sepa-1"), amount: "40.00" });
    const refund = await refundOf(id, "15.00", "rs-sepa-1-r");
    expect(refund.status).toBe("PENDING");
    const first = await answeredAtRail(id);
    expect(first.outcome).toMatchObject({ class: "PENDING" });
    const settlesAt = (first.outcome as { settlesAt: string }).settlesAt;
    expect(Date.parse(settlesAt) - Date.parse(refund.createdAt)).toBe(SETTLEMENT_MS);
    // The bank answered PENDING: nothing follows, the refund stays PENDING and nothing is due yet.
    expect((await getPayment(id)).refunds.map((r) => r.status)).toEqual(["PENDING"]);
    const row = async () => (await h.stores.forTenant("acme").payments.get(id))?.payment;
    expect((await row())?.refundsWaiting).toBe(1);
    expect(await listed()).toContain(id);
    expect(refundUpdates(id)).toEqual([["RefundRequested", "PENDING"]]);
    expect(await republishDueRefunds(ctx, "acme", h.config.routing.personalities)).not.toContain(refund.id);

    // The sweeper's loop, as `npm start` runs it; the day passes and it asks the bank again.
    const sweeper = sweeping();
    try {
      const succeeded = await waitForRefund(id, refund.id, "SUCCEEDED");
      expect(succeeded).toMatchObject({
        eventType: "RefundSucceeded",
        status: "SETTLED",
        amountRefunded: "15.00",
      });
    } finally {
      await sweeper.stop();
    }
    // Asked twice: at the request, and once more (claimed, so once per window) when the day was over.
    expect(refundCalls.filter((c) => c.paymentId === id).map((c) => c.outcome.class)).toEqual([
      "PENDING",
      "APPROVED",
    ]);
    expect(await getPayment(id)).toMatchObject({ refundedAmount: "15.00", amountRefundable: "25.00" });
    expect((await getPayment(id)).refunds.map((r) => r.status)).toEqual(["SUCCEEDED"]);
    // Answered: no longer among the rows the sweeper's query returns.
    expect((await row())?.refundsWaiting).toBe(0);
    // Applied once, however often the request was published again.
    const history = await h.stores.forTenant("acme").history.list(id);
    const succeededEvents = history.filter((e) => e.type === "RefundSucceeded");
    expect(succeededEvents).toHaveLength(1);
    const settledAt = (succeededEvents[0] as { occurredAt: string }).occurredAt;
    expect(Date.parse(settledAt)).toBeGreaterThanOrEqual(Date.parse(settlesAt));
    expect(refundUpdates(id).filter(([type]) => type === "RefundSucceeded")).toEqual([
      ["RefundSucceeded", "SUCCEEDED"],
    ]);
    // A later sweep finds nothing due, and unlists the row: none of its refunds waits.
    expect(await republishDueRefunds(ctx, "acme", h.config.routing.personalities)).not.toContain(refund.id);
    expect(await listed()).not.toContain(id);

    const s3 = s3Client({ endpoint: h.endpoints.s3 });
    const bucket = "local-payrail-acme-eu";
    await expect
      .poll(
        async () => {
          const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "settlements/" }));
          const lines: { key: string; paymentId: string; amountMinor: string; refundId?: string }[] = [];
          for (const object of listed.Contents ?? []) {
            const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key })))
              .Body;
            const record = JSON.parse((await body?.transformToString()) ?? "{}") as {
              payments: { paymentId: string; amountMinor: string; refundId?: string }[];
            };
            for (const line of record.payments) lines.push({ key: object.Key ?? "", ...line });
          }
          return lines
            .filter((line) => line.refundId === refund.id)
            .map((line) => [line.amountMinor, line.key.split("/")[2]]);
        },
        { timeout: 10_000, interval: 200 },
      )
      .toEqual([["-1500", settledAt.slice(0, 10)]]);
  });

  it("a SEPA refund ending in .77 fails refund_failed once the day is over and gives its amount back", async () => {
    const id = await settled({ ...sepaInput("rs-sepa-77"), amount: "20.00" });
    const refund = await refundOf(id, "5.77", "rs-sepa-77-r");
    expect((await answeredAtRail(id)).outcome.class).toBe("PENDING");
    const sweeper = sweeping();
    try {
      const failed = await waitForRefund(id, refund.id, "FAILED");
      expect(failed).toMatchObject({ eventType: "RefundFailed", reason: "refund_failed" });
    } finally {
      await sweeper.stop();
    }
    expect(await getPayment(id)).toMatchObject({ refundedAmount: "0.00", amountRefundable: "20.00" });
  });
});

describe("card refunds", () => {
  it("are answered at once, without the sweeper", async () => {
    const id = await settled(cardInput("rs-card", "12.00"));
    const refund = await refundOf(id, "2.00", "rs-card-r");
    await waitForRefund(id, refund.id, "SUCCEEDED");
    expect(refundCalls.filter((c) => c.paymentId === id).map((c) => c.outcome.class)).toEqual(["APPROVED"]);
    expect((await h.stores.forTenant("acme").payments.get(id))?.payment.refundsWaiting).toBeUndefined();
    expect(await listed()).not.toContain(id);
    expect(refundUpdates(id)).toEqual([
      ["RefundRequested", "PENDING"],
      ["RefundSucceeded", "SUCCEEDED"],
    ]);
  });
});
