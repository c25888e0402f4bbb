// The review path through the real pipeline (broker, consumers, status service): a
// payment risk holds IN_REVIEW is approved (or declined) through payments-api and then
// continues to SETTLED (or stops at DECLINED), each state once, in order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InitiatePaymentInput, Payment } from "../../../core/generated/graphql";
import { type Harness, startHarness } from "../pipeline/harness";
import { apiRequest, cardInput } from "./support";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const paymentsApi = () => h.paymentsApi();

async function heldForReview(key: string): Promise<string> {
  const response = await h.initiate("acme", cardInput(key, "1500.00") as InitiatePaymentInput);
  const id = (response as { data: Payment }).data.id;
  await h.waitFor(id, "IN_REVIEW");
  return id;
}

const statuses = (id: string) => h.updates.filter((u) => u.paymentId === id).map((u) => u.status);

describe("review through the pipeline", () => {
  it("an approved payment goes on to SETTLED", async () => {
    const id = await heldForReview("review-approve");
    const approved = await paymentsApi()(
      apiRequest("acme", "approvePayment", { id, reason: "called the customer" }),
    );
    expect(approved).toMatchObject({ data: { id, status: "RISK_APPROVED", sequence: 3 } });
    await h.waitFor(id, "SETTLED");
    const repeated = await paymentsApi()(apiRequest("acme", "approvePayment", { id, reason: "again" }));
    expect(repeated).toMatchObject({ data: { id, status: "SETTLED", sequence: 5 } });
    expect(statuses(id)).toEqual(["INITIATED", "IN_REVIEW", "RISK_APPROVED", "EXECUTED", "SETTLED"]);
    const history = await paymentsApi()(apiRequest("acme", "paymentEvents", { paymentId: id }));
    const types = (history as { data: { type: string; sequence: number }[] }).data.map((e) => [
      e.type,
      e.sequence,
    ]);
    expect(types).toEqual([
      ["PaymentInitiated", 1],
      ["PaymentRiskAssessed", 2],
      ["PaymentReviewed", 3],
      ["PaymentExecuted", 4],
      ["PaymentSettled", 5],
    ]);
  });

  it("a declined payment stops at DECLINED with the reviewer's reason", async () => {
    const id = await heldForReview("review-decline");
    await paymentsApi()(apiRequest("acme", "declinePayment", { id, reason: "mule account" }));
    const declined = await h.waitFor(id, "DECLINED");
    expect(declined.previousStatus).toBe("IN_REVIEW");
    expect(declined.reason).toBe("mule account");
    const row = await paymentsApi()(apiRequest("acme", "payment", { id }));
    expect(row).toMatchObject({ data: { status: "DECLINED", sequence: 3 } });
    expect(statuses(id)).toEqual(["INITIATED", "IN_REVIEW", "DECLINED"]);
  });
});
