// Routing end to end, as a partner sees it: the whole stack from `npm start` in a child
// process, the unmodified aws-amplify client subscribed, the failover test card settling
// after a soft decline on the first processor, and Payment.processor / Payment.attempts
// telling which processors were tried and which one won.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FAILOVER_TEST_CARD } from "../../core/processors";
import { subscriptionAck } from "../support/subscription-ack";
import { type AmplifyClient, connectAmplify, gql, type RunningStack, startStack } from "./stack";

const WATCH = `subscription Watch($paymentId: ID) {
  onPaymentUpdated(paymentId: $paymentId) { paymentId status eventType reason }
}`;
const INITIATE = `mutation Start($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id } }`;
const ATTEMPTS = `query Attempts($id: ID!) {
  payment(id: $id) {
    status processor
    attempts { attempt processor status declineCode declineClass latencyMs fee startedAt ruleId }
  }
}`;

type Attempt = {
  attempt: number;
  processor: string;
  status: string;
  declineCode: string | null;
  declineClass: string | null;
  latencyMs: number | null;
  fee: string;
  startedAt: string;
  ruleId: string;
};

let stack: RunningStack;
let dir: string;
let client: AmplifyClient;
let acme: string;
let globex: string;
type Update = { paymentId: string; status: string; eventType: string; reason: string | null };
const updates: Update[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "payrail-e2e-routing-"));
  stack = await startStack(dir, { memory: true });
  acme = stack.info.tenants.acme?.apiToken ?? "";
  globex = stack.info.tenants.globex?.apiToken ?? "";
  client = await connectAmplify(stack.info);
  const acked = subscriptionAck({});
  const observable = client.graphql({ query: WATCH, variables: {}, authToken: acme }) as unknown as {
    subscribe(o: object): { unsubscribe(): void };
  };
  observable.subscribe({
    next: (message: { data: { onPaymentUpdated: Update } }) => updates.push(message.data.onPaymentUpdated),
    error: () => undefined,
  });
  await acked;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("routing through the whole stack", () => {
  it(`settles ${FAILOVER_TEST_CARD} on the second processor, seen live, with both attempts on the payment`, async () => {
    const started = await gql<{ initiatePayment: { id: string } }>(stack.info, acme, INITIATE, {
      input: {
        idempotencyKey: `e2e-routing-${randomUUID()}`,
        paymentType: "CARD",
        amount: "12.50",
        currency: "EUR",
        payer: {
          name: "Ada Lovelace",
          country: "DE",
          card: { number: FAILOVER_TEST_CARD, expiryMonth: 12, expiryYear: 2030, cvc: "123" },
        },
      },
    });
    const id = started.data?.initiatePayment.id;
    expect(started.errors).toBeUndefined();
    if (!id) throw new Error("no payment id");
    await vi.waitFor(
      () => {
        if (!updates.some((u) => u.paymentId === id && u.status === "SETTLED"))
          throw new Error("not settled yet");
      },
      { timeout: 30_000, interval: 50 },
    );
    // "Retrying with another processor", live: the failed attempt, then the next processor.
    expect(updates.filter((u) => u.paymentId === id).map((u) => [u.eventType, u.status, u.reason])).toEqual([
      ["PaymentInitiated", "INITIATED", null],
      ["PaymentRiskAssessed", "RISK_APPROVED", null],
      ["PaymentAttemptFailed", "RISK_APPROVED", "do_not_honor"],
      ["PaymentRouted", "RISK_APPROVED", null],
      ["PaymentExecuted", "EXECUTED", null],
      ["PaymentSettled", "SETTLED", null],
    ]);

    const answer = await gql<{ payment: { status: string; processor: string; attempts: Attempt[] } }>(
      stack.info,
      acme,
      ATTEMPTS,
      { id },
    );
    expect(answer.errors).toBeUndefined();
    const payment = answer.data?.payment;
    const [first, second] = payment?.attempts ?? [];
    expect(payment?.attempts).toHaveLength(2);
    // acme's cards split stripe 70 / checkout 30: whichever came first declined softly.
    expect(first).toMatchObject({
      attempt: 1,
      status: "DECLINED",
      declineCode: "do_not_honor",
      declineClass: "SOFT",
      ruleId: "tenant:acme/card-split",
    });
    expect(second).toMatchObject({
      attempt: 2,
      status: "APPROVED",
      declineCode: null,
      declineClass: null,
      ruleId: "tenant:acme/card-split",
    });
    expect([first?.processor, second?.processor].sort()).toEqual(["checkout_sandbox", "stripe_sandbox"]);
    expect(payment?.processor).toBe(second?.processor);
    // EUR 12.50: stripe 0.25 + 150 bps = 0.44 (0.4375 rounded up), checkout 0.20 + 95 bps = 0.32.
    const fees: Record<string, string> = { stripe_sandbox: "0.44", checkout_sandbox: "0.32" };
    for (const attempt of [first, second]) {
      expect(attempt?.fee).toBe(fees[attempt?.processor ?? ""]);
      expect(attempt?.latencyMs).toBeGreaterThanOrEqual(0);
      expect(Number.isNaN(Date.parse(attempt?.startedAt ?? ""))).toBe(false);
    }

    // Another tenant's payment looks exactly like a missing one.
    const other = await gql<{ payment: unknown }>(stack.info, globex, ATTEMPTS, { id });
    expect(other.errors).toBeUndefined();
    expect(other.data?.payment).toBeNull();
  });
});
