// cancelPayment of a payment still on its way through risk and execution, on the real
// local servers (broker, DynamoDB, the pipeline's consumers): the cancellation is recorded
// on the row, and execution, when the payment reaches it, emits PaymentCanceled instead of
// calling the rail. To hold payments at INITIATED and RISK_APPROVED deterministically, the
// harness runs without the risk and execution consumers; they are started later, each as
// its own event source mappings (a consumer that was down and catches up from its offsets).
// A payment canceled at INITIATED that risk then sends to review is canceled by the sweeper.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelRecordedInReview } from "../../../consumers/auth-sweeper/sweep";
import { loadConfig } from "../../../core/config";
import { EVENT_SCHEMAS } from "../../../core/events";
import type { InitiatePaymentInput, Payment } from "../../../core/generated/graphql";
import { type LocalPipeline, startPipeline } from "../../../local/esm/pipeline";
import { openSchemaRegistry } from "../../../local/registry/registry";
import { randomTestCard } from "../../e2e/cards";
import { type Harness, startHarness } from "../pipeline/harness";
import { apiRequest, cardInput } from "./support";

const HELD_BACK = ["risk", "execution"];

const late: LocalPipeline[] = [];
const heldBackHarness = () =>
  startHarness({
    configure: (config) => ({
      ...config,
      pipeline: {
        ...config.pipeline,
        consumers: config.pipeline.consumers.filter((c) => !HELD_BACK.includes(c.name)),
      },
    }),
  });

let h: Harness;
beforeAll(async () => {
  h = await heldBackHarness();
});
afterAll(async () => {
  for (const pipeline of late) await pipeline.stop();
  await h.stop();
});

/** Starts the held-back consumer `name` over the same broker and tables. */
async function startLate(name: string, harness: Harness = h): Promise<void> {
  const h = harness;
  const { pipeline } = await loadConfig("config");
  late.push(
    await startPipeline({
      env: "local",
      bootstrap: h.bootstrap,
      config: {
        ...h.config,
        pipeline: { ...pipeline, consumers: pipeline.consumers.filter((c) => c.name === name) },
      },
      schemas: await openSchemaRegistry({ definitions: EVENT_SCHEMAS }),
      endpoints: h.endpoints,
      // Neither risk nor execution publishes updates; the harness's status consumer does.
      updates: {
        async publishPaymentUpdate() {
          throw new Error("not a status consumer");
        },
      },
    }),
  );
}

const call = (field: string, input: Record<string, unknown>, harness: Harness = h) =>
  harness.paymentsApi()(apiRequest("acme", field, { input }));

async function initiated(key: string, amount = "25.00", harness: Harness = h): Promise<string> {
  const h = harness;
  const input = {
    ...cardInput(key, amount),
    // A card of its own: risk's per-payer velocity would send repeats to review.
    payer: { name: "Ada", card: { number: randomTestCard(), expiryMonth: 12, expiryYear: 2030, cvc: "123" } },
  } as InitiatePaymentInput;
  const id = ((await h.initiate("acme", input)) as { data: Payment }).data.id;
  await h.waitFor(id, "INITIATED");
  return id;
}

const eventTypes = async (id: string) =>
  (await h.stores.forTenant("acme").history.list(id)).map((e) => e.type);

describe("cancel before execution", () => {
  it("cancels payments canceled at INITIATED and at RISK_APPROVED without a rail call; others go on", async () => {
    const atInitiated = await initiated("early-cancel-1");
    const answer = await call("cancelPayment", {
      paymentId: atInitiated,
      reason: "customer changed their mind",
      idempotencyKey: "cancel-early-1",
    });
    // Recorded, not yet done: the payment is still on its way.
    expect(answer).toMatchObject({ data: { id: atInitiated, status: "INITIATED" } });

    await startLate("risk");
    const approved = await h.waitFor(atInitiated, "RISK_APPROVED");
    expect(approved.previousStatus).toBe("INITIATED");
    const atApproved = await initiated("early-cancel-2");
    await h.waitFor(atApproved, "RISK_APPROVED");
    expect(
      await call("cancelPayment", {
        paymentId: atApproved,
        reason: "duplicate order",
        idempotencyKey: "cancel-early-2",
      }),
    ).toMatchObject({ data: { id: atApproved, status: "RISK_APPROVED" } });
    // A second cancel with another key is refused: one cancellation per payment.
    expect(
      await call("cancelPayment", {
        paymentId: atApproved,
        reason: "again",
        idempotencyKey: "cancel-early-3",
      }),
    ).toMatchObject({ error: { errorType: "InvalidState" } });
    const untouched = await initiated("early-cancel-control");
    await h.waitFor(untouched, "RISK_APPROVED");

    await startLate("execution");
    for (const [id, reason] of [
      [atInitiated, "customer changed their mind"],
      [atApproved, "duplicate order"],
    ] as const) {
      const canceled = await h.waitFor(id, "CANCELED");
      expect(canceled).toMatchObject({
        previousStatus: "RISK_APPROVED",
        reason,
        eventType: "PaymentCanceled",
      });
      // Execution answered with PaymentCanceled alone: no rail outcome, no settlement.
      expect(await eventTypes(id)).toEqual(["PaymentInitiated", "PaymentRiskAssessed", "PaymentCanceled"]);
    }
    // The payment nobody canceled was executed by the same consumer.
    await h.waitFor(untouched, "SETTLED");
    expect(await eventTypes(untouched)).toContain("PaymentExecuted");
  });
});

describe("cancel before review", () => {
  let r: Harness;
  beforeAll(async () => {
    r = await heldBackHarness();
  });
  afterAll(async () => {
    // Consumers started late stop before the servers they use (the first test's are done too).
    for (const pipeline of late.splice(0)) await pipeline.stop();
    await r.stop();
  });

  it("a payment canceled at INITIATED that risk sends to review is canceled by the sweeper, once", async () => {
    // Over acme's review threshold (EUR 1,000.00).
    const id = await initiated("cancel-review-1", "1500.00", r);
    expect(
      await call(
        "cancelPayment",
        { paymentId: id, reason: "order withdrawn", idempotencyKey: "cr-early" },
        r,
      ),
    ).toMatchObject({ data: { id, status: "INITIATED" } });
    await startLate("risk", r);
    await r.waitFor(id, "IN_REVIEW");
    // A reviewer may not decide it: its cancellation was asked for first.
    const approve = await r.paymentsApi()(apiRequest("acme", "approvePayment", { id, reason: "looks fine" }));
    expect(approve).toMatchObject({ error: { errorType: "InvalidState" } });

    const ctx = r.apiContext();
    expect(await cancelRecordedInReview(ctx, "acme")).toEqual([id]);
    const canceled = await r.waitFor(id, "CANCELED");
    expect(canceled).toMatchObject({
      previousStatus: "IN_REVIEW",
      reason: "order withdrawn",
      eventType: "PaymentCanceled",
    });
    // Honored once: the next sweep finds nothing, and the history has one PaymentCanceled.
    expect(await cancelRecordedInReview(ctx, "acme")).toEqual([]);
    const history = await r.stores.forTenant("acme").history.list(id);
    expect(history.map((e) => [e.sequence, e.type])).toEqual([
      [1, "PaymentInitiated"],
      [2, "PaymentRiskAssessed"],
      [3, "PaymentCanceled"],
    ]);
    // The cancel's retry with its key answers the canceled payment.
    expect(
      await call(
        "cancelPayment",
        { paymentId: id, reason: "order withdrawn", idempotencyKey: "cr-early" },
        r,
      ),
    ).toMatchObject({ data: { id } });
  });
});
