// Refunds of EXECUTED payments on the real pipeline, where the rail allows it (cards and
// instant rails; config/processors.yaml `refundBeforeSettlement`), and the ordering that
// matters: refunds accepted at EXECUTED, then the payment's settlement arrives. Settlement's
// consumer is left out of this pipeline so that the test decides when PaymentSettled comes
// (the very event settlement would publish, from its own `settle`).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ApiContext } from "../../../consumers/api/context";
import { republishDueRefunds } from "../../../consumers/auth-sweeper/refunds";
import { settle } from "../../../consumers/settlement/handler";
import type { EventEnvelope } from "../../../core/events";
import type { InitiatePaymentInput, Payment, Refund } from "../../../core/generated/graphql";
import { type Harness, startHarness } from "../pipeline/harness";
import {
  apiRequest,
  cardInput,
  listedWaiting,
  type RefundCall,
  recordingRefunds,
  sepaInput,
} from "./support";

const refundCalls: RefundCall[] = [];

let h: Harness;
let ctx: ApiContext;
beforeAll(async () => {
  h = await startHarness({
    configure: (config) => ({
      ...config,
      pipeline: {
        ...config.pipeline,
        consumers: config.pipeline.consumers.filter((consumer) => consumer.name !== "settlement"),
      },
    }),
    processors: (config) => recordingRefunds(config.routing.personalities, refundCalls),
  });
  ctx = h.apiContext();
});
afterAll(() => h.stop());

const api = () => h.paymentsApi();
const refundPayment = (paymentId: string, key: string, amount?: string) =>
  api()(
    apiRequest("acme", "refundPayment", {
      input: {
        paymentId,
        reason: "REQUESTED_BY_CUSTOMER",
        idempotencyKey: key,
        ...(amount ? { amount } : {}),
      },
    }),
  );
const listed = () => listedWaiting(h.stores.forTenant("acme").refunds);
const getPayment = async (id: string) =>
  ((await api()(apiRequest("acme", "payment", { id }))) as { data: Payment }).data;

async function executed(input: Record<string, unknown>): Promise<string> {
  const id = ((await h.initiate("acme", input as InitiatePaymentInput)) as { data: Payment }).data.id;
  await h.waitFor(id, "EXECUTED");
  return id;
}

/** Settlement's PaymentSettled for the payment, published now. */
async function settleNow(id: string): Promise<void> {
  const history = await h.stores.forTenant("acme").history.list(id);
  const execution = history.find((e) => e.type === "PaymentExecuted") as EventEnvelope<"PaymentExecuted">;
  await h.pipeline.publisher.publish([settle(execution)]);
  await h.waitFor(id, "SETTLED");
}

const answeredAtRail = (paymentId: string, count: number) =>
  vi.waitFor(
    () => {
      const calls = refundCalls.filter((c) => c.paymentId === paymentId);
      if (calls.length < count) throw new Error(`${calls.length} refund calls for ${paymentId} so far`);
      return calls;
    },
    { timeout: 15_000, interval: 25 },
  );

describe("refunds of EXECUTED payments", () => {
  it("a card payment refunded in full at EXECUTED keeps its refunds through SETTLED and ends REFUNDED", async () => {
    const id = await executed(cardInput("rbs-card", "20.00"));
    const first = (await refundPayment(id, "rbs-card-1", "5.00")) as { data: Refund };
    expect(first.data).toMatchObject({ status: "PENDING", amount: "5.00" });
    const rest = (await refundPayment(id, "rbs-card-2")) as { data: Refund };
    expect(rest.data).toMatchObject({ status: "PENDING", amount: "15.00" });
    expect(await refundPayment(id, "rbs-card-3", "0.01")).toMatchObject({
      error: {
        errorType: "ValidationError",
        message: "input.amount: must not exceed the refundable amount 0.00 EUR",
        errorInfo: { field: "input.amount" },
      },
    });
    // The rail took both at once; their answers wait for SETTLED, the row listed for the sweeper.
    expect(await listed()).toContain(id);
    const calls = await answeredAtRail(id, 2);
    expect(calls.map((c) => c.outcome.class)).toEqual(["APPROVED", "APPROVED"]);
    expect(await getPayment(id)).toMatchObject({
      status: "EXECUTED",
      capturedAmount: "20.00",
      refundedAmount: "0.00",
      amountRefundable: "0.00",
    });
    expect(h.updates.filter((u) => u.paymentId === id && u.eventType === "RefundSucceeded")).toEqual([]);

    // Then settlement arrives: the refunds are kept, nothing becomes refundable again.
    await settleNow(id);
    const settledRow = (await h.stores.forTenant("acme").payments.get(id))?.payment;
    expect(settledRow).toMatchObject({
      status: "SETTLED",
      capturedMinor: "2000",
      refundableMinor: 0,
      refundsWaiting: 2,
    });
    expect(Object.values(settledRow?.refunds ?? {}).map((r) => r.status)).toEqual(["PENDING", "PENDING"]);
    expect(await refundPayment(id, "rbs-card-4", "0.01")).toMatchObject({
      error: { errorType: "ValidationError" },
    });

    // Within the in-progress window of their requests the sweeper leaves them to execution;
    // after it, it asks again for both, and their answers now follow SETTLED.
    const personalities = h.config.routing.personalities;
    expect(await republishDueRefunds(ctx, "acme", personalities)).toEqual([]);
    const later = { ...ctx, now: () => new Date(Date.now() + ctx.inProgressMs + 1_000) };
    expect((await republishDueRefunds(later, "acme", personalities)).sort()).toEqual(
      [first.data.id, rest.data.id].sort(),
    );
    const refunded = await h.waitFor(id, "REFUNDED");
    expect(refunded).toMatchObject({ eventType: "RefundSucceeded", previousStatus: "SETTLED" });
    expect(await getPayment(id)).toMatchObject({
      status: "REFUNDED",
      refundedAmount: "20.00",
      amountRefundable: "0.00",
    });
    expect((await getPayment(id)).refunds.map((r) => r.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect((await h.stores.forTenant("acme").payments.get(id))?.payment.refundsWaiting).toBe(0);
    // Listed for the sweeper until a sweep finds none of its refunds waiting.
    expect(await listed()).toContain(id);
    await republishDueRefunds(ctx, "acme", personalities);
    expect(await listed()).not.toContain(id);
    // Every event has a sequence of its own: PaymentSettled took the one after EXECUTED.
    const history = await h.stores.forTenant("acme").history.list(id);
    expect(history.map((e) => [e.sequence, e.type])).toEqual([
      [1, "PaymentInitiated"],
      [2, "PaymentRiskAssessed"],
      [3, "PaymentExecuted"],
      [4, "PaymentSettled"],
      [5, "RefundRequested"],
      [6, "RefundSucceeded"],
      [7, "RefundRequested"],
      [8, "RefundSucceeded"],
    ]);
    expect(history.find((e) => e.sequence === 5)?.data.status).toBe("EXECUTED");
  });

  it("a SEPA payment is refused while EXECUTED, naming why, and refunded once SETTLED", async () => {
    const id = await executed({ ...sepaInput("rbs-sepa"), amount: "30.00" });
    const refused = await refundPayment(id, "rbs-sepa-1", "10.00");
    expect(refused).toMatchObject({
      error: { errorType: "InvalidState", errorInfo: { reason: "not_settled" } },
    });
    expect((refused as { error: { message: string } }).error.message).toMatch(
      /^payment is EXECUTED and sepa_\w+_sandbox \(SEPA_CREDIT\) refunds only SETTLED payments/,
    );
    await settleNow(id);
    expect(await refundPayment(id, "rbs-sepa-2", "10.00")).toMatchObject({
      data: { status: "PENDING", amount: "10.00" },
    });
  });
});
