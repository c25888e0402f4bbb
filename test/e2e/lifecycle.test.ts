// The payment lifecycle end to end, as a partner sees it: the whole stack from `npm start`
// in a child process, the unmodified aws-amplify client subscribed over the real
// WebSocket, mutations over HTTP. Authorize → partial capture → two partial refunds → a
// third over the rest refused → the rest refunded → REFUNDED, every step live and in
// order; the cancel of an authorization; and a SEPA refund over `npm start`'s fast-forwarded
// settlement day (10 s), PENDING first and SUCCEEDED live once the day is over.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { subscriptionAck } from "../support/subscription-ack";
import { type AmplifyClient, connectAmplify, gql, type RunningStack, startStack } from "./stack";

const WATCH = `subscription Watch {
  onPaymentUpdated { paymentId status previousStatus eventType reason refundId refundStatus amountRefunded amountCaptured }
}`;
const INITIATE = `mutation Start($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id status captureMethod } }`;
const CAPTURE = `mutation Capture($input: CapturePaymentInput!) { capturePayment(input: $input) { id status } }`;
const CANCEL = `mutation Cancel($input: CancelPaymentInput!) { cancelPayment(input: $input) { id status reason } }`;
const REFUND = `mutation Refund($input: RefundPaymentInput!) { refundPayment(input: $input) { id status amount } }`;
const PAYMENT = `query One($id: ID!) {
  payment(id: $id) { status capturedAmount refundedAmount amountRefundable refunds { amount status } }
}`;

type Update = {
  paymentId: string;
  status: string;
  previousStatus: string | null;
  eventType: string;
  reason: string | null;
  refundId: string | null;
  refundStatus: string | null;
  amountRefunded: string | null;
  amountCaptured: string | null;
};

let stack: RunningStack;
let dir: string;
let client: AmplifyClient;
let acme: string;
const updates: Update[] = [];

const manualCard = (amount: string) => ({
  idempotencyKey: `e2e-${randomUUID()}`,
  paymentType: "CARD",
  captureMethod: "MANUAL",
  amount,
  currency: "EUR",
  payer: { name: "Ada", card: { number: "4242424242424242", expiryMonth: 12, expiryYear: 2030, cvc: "123" } },
});

const until = <T>(probe: () => T | undefined, what: string, timeout = 20_000) =>
  vi.waitFor(
    () => {
      const value = probe();
      if (value === undefined) throw new Error(`timed out waiting for ${what}`);
      return value;
    },
    { timeout, interval: 50 },
  );

const updatesOf = (id: string) => updates.filter((u) => u.paymentId === id);
const reached = (id: string, matches: (u: Update) => boolean, what: string, timeout?: number) =>
  until(() => updatesOf(id).find(matches), `${id}: ${what}`, timeout);

async function mutate<T>(query: string, input: Record<string, unknown>) {
  return gql<T>(stack.info, acme, query, { input });
}

async function authorize(amount: string): Promise<string> {
  const started = await mutate<{ initiatePayment: { id: string; captureMethod: string } }>(
    INITIATE,
    manualCard(amount),
  );
  expect(started.data?.initiatePayment.captureMethod).toBe("MANUAL");
  const id = started.data?.initiatePayment.id ?? "";
  await reached(id, (u) => u.status === "AUTHORIZED", "AUTHORIZED");
  return id;
}

async function refund(paymentId: string, amount?: string) {
  const input = { paymentId, reason: "REQUESTED_BY_CUSTOMER", idempotencyKey: randomUUID(), amount };
  return mutate<{ refundPayment: { id: string; status: string; amount: string } }>(REFUND, input);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "payrail-e2e-lifecycle-"));
  stack = await startStack(dir, { memory: true });
  acme = stack.info.tenants.acme?.apiToken ?? "";
  client = await connectAmplify(stack.info);
  const acked = subscriptionAck({});
  const observable = client.graphql({ query: WATCH, authToken: acme }) as unknown as {
    subscribe(o: object): { unsubscribe(): void };
  };
  observable.subscribe({
    next: (message: { data: { onPaymentUpdated: Update } }) => updates.push(message.data.onPaymentUpdated),
    error: () => undefined,
  });
  await acked;
  // The subscription is live once a payment started after it is seen authorized.
  await authorize("1.00");
});

afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the payment lifecycle over aws-amplify", () => {
  it("authorize → partial capture → two refunds → one too many refused → the rest → REFUNDED, live in order", async () => {
    const id = await authorize("20.00");
    const capture = await mutate(CAPTURE, { paymentId: id, amount: "15.00", idempotencyKey: randomUUID() });
    expect(capture.errors).toBeUndefined();
    await reached(id, (u) => u.status === "SETTLED", "SETTLED");

    for (const amount of ["5.00", "4.00"]) {
      const accepted = await refund(id, amount);
      const refundId = accepted.data?.refundPayment.id;
      expect(accepted.data?.refundPayment).toMatchObject({ status: "PENDING", amount });
      await reached(id, (u) => u.refundId === refundId && u.refundStatus === "SUCCEEDED", `refund ${amount}`);
    }
    const tooMuch = await refund(id, "6.01");
    expect(tooMuch.errors?.[0]).toMatchObject({
      errorType: "ValidationError",
      message: "input.amount: must not exceed the refundable amount 6.00 EUR",
    });
    const rest = await refund(id);
    expect(rest.data?.refundPayment.amount).toBe("6.00");
    const last = await reached(id, (u) => u.status === "REFUNDED", "REFUNDED");
    expect(last).toMatchObject({
      previousStatus: "SETTLED",
      refundStatus: "SUCCEEDED",
      amountRefunded: "6.00",
    });

    expect(updatesOf(id).map((u) => [u.status, u.eventType, u.amountRefunded ?? u.amountCaptured])).toEqual([
      ["INITIATED", "PaymentInitiated", null],
      ["RISK_APPROVED", "PaymentRiskAssessed", null],
      ["AUTHORIZED", "PaymentAuthorized", null],
      ["AUTHORIZED", "PaymentCaptureRequested", null],
      ["EXECUTED", "PaymentCaptured", "15.00"],
      ["SETTLED", "PaymentSettled", null],
      ["SETTLED", "RefundRequested", "5.00"],
      ["SETTLED", "RefundSucceeded", "5.00"],
      ["SETTLED", "RefundRequested", "4.00"],
      ["SETTLED", "RefundSucceeded", "4.00"],
      ["SETTLED", "RefundRequested", "6.00"],
      ["REFUNDED", "RefundSucceeded", "6.00"],
    ]);
    const read = await gql<{ payment: Record<string, unknown> }>(stack.info, acme, PAYMENT, { id });
    expect(read.data?.payment).toEqual({
      status: "REFUNDED",
      capturedAmount: "15.00",
      refundedAmount: "15.00",
      amountRefundable: "0.00",
      refunds: [
        { amount: "5.00", status: "SUCCEEDED" },
        { amount: "4.00", status: "SUCCEEDED" },
        { amount: "6.00", status: "SUCCEEDED" },
      ],
    });
  });

  it("cancels an authorized payment, live, and then refuses to capture it", async () => {
    const id = await authorize("30.00");
    const canceled = await mutate<{ cancelPayment: { status: string } }>(CANCEL, {
      paymentId: id,
      reason: "order canceled",
      idempotencyKey: randomUUID(),
    });
    expect(canceled.data?.cancelPayment).toMatchObject({ status: "CANCELED", reason: "order canceled" });
    const update = await reached(id, (u) => u.status === "CANCELED", "CANCELED");
    expect(update).toMatchObject({ previousStatus: "AUTHORIZED", reason: "order canceled" });
    const capture = await mutate(CAPTURE, { paymentId: id, idempotencyKey: randomUUID() });
    expect(capture.errors?.[0]?.errorType).toBe("InvalidState");
  });

  it("a SEPA refund is PENDING for the (fast-forwarded) settlement day, then SUCCEEDED, live", async () => {
    const started = await mutate<{ initiatePayment: { id: string } }>(INITIATE, {
      idempotencyKey: `e2e-${randomUUID()}`,
      paymentType: "SEPA_CREDIT",
      amount: "40.00",
      currency: "EUR",
      payer: { name: "Ada", sepa: { iban: "DE89370400440532013000" } },
      payee: { name: "Bob", sepa: { iban: "FR1420041010050500013M02606" } },
    });
    const id = started.data?.initiatePayment.id ?? "";
    await reached(id, (u) => u.status === "SETTLED", "SETTLED");
    const accepted = await refund(id, "15.00");
    const refundId = accepted.data?.refundPayment.id;
    expect(accepted.data?.refundPayment).toMatchObject({ status: "PENDING", amount: "15.00" });
    await reached(id, (u) => u.refundId === refundId && u.refundStatus === "PENDING", "refund PENDING");
    // The day (10 s under npm start) and the next sweep (every 5 s).
    const succeeded = await reached(
      id,
      (u) => u.refundId === refundId && u.refundStatus === "SUCCEEDED",
      "refund SUCCEEDED",
      40_000,
    );
    expect(succeeded).toMatchObject({
      status: "SETTLED",
      eventType: "RefundSucceeded",
      amountRefunded: "15.00",
    });
    // The request is published again when the bank is asked again: its PENDING update may
    // repeat (at-least-once, as for any redelivery); the answer comes once, last.
    const seen = updatesOf(id).map((u) => [u.eventType, u.refundStatus]);
    expect(seen.slice(0, 5)).toEqual([
      ["PaymentInitiated", null],
      ["PaymentRiskAssessed", null],
      ["PaymentExecuted", null],
      ["PaymentSettled", null],
      ["RefundRequested", "PENDING"],
    ]);
    expect(
      seen.slice(5, -1).every(([type, status]) => type === "RefundRequested" && status === "PENDING"),
    ).toBe(true);
    expect(seen.at(-1)).toEqual(["RefundSucceeded", "SUCCEEDED"]);
  }, 60_000);
});
