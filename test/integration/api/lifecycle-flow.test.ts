// The payment lifecycle through the real pipeline (broker, consumers, status service,
// dynalite): MANUAL authorize → partial capture → partial refunds → REFUNDED, cancel of
// an authorization, capture after expiry, idempotent retries, and concurrent refunds
// that together ask for more than was captured.
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ApiContext } from "../../../consumers/api/context";
import { expireAuthorizations } from "../../../consumers/auth-sweeper/sweep";
import { s3Client } from "../../../consumers/platform/aws";
import { createLogger, createTracer } from "../../../consumers/platform/observability";
import type {
  InitiatePaymentInput,
  Payment,
  PaymentUpdateInput,
  Refund,
} from "../../../core/generated/graphql";
import { type Harness, startHarness } from "../pipeline/harness";
import { apiRequest, cardInput, sepaInput } from "./support";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const paymentsApi = (over: Partial<ApiContext> = {}) => h.paymentsApi(over);

const call = (
  field: string,
  input: Record<string, unknown>,
  tenantId = "acme",
  over: Partial<ApiContext> = {},
) => paymentsApi(over)(apiRequest(tenantId, field, { input }));

const manualCard = (key: string, amount: string, number = "4242424242424242") =>
  ({
    ...cardInput(key, amount),
    captureMethod: "MANUAL",
    payer: { name: "Ada", card: { number, expiryMonth: 12, expiryYear: 2030, cvc: "123" } },
  }) as InitiatePaymentInput;

async function authorized(key: string, amount: string, number?: string): Promise<string> {
  const response = await h.initiate("acme", manualCard(key, amount, number));
  const id = (response as { data: Payment }).data.id;
  await h.waitFor(id, "AUTHORIZED");
  return id;
}

async function settled(key: string, amount: string): Promise<string> {
  const response = await h.initiate("acme", cardInput(key, amount) as InitiatePaymentInput);
  const id = (response as { data: Payment }).data.id;
  await h.waitFor(id, "SETTLED");
  return id;
}

const updatesOf = (id: string) => h.updates.filter((u) => u.paymentId === id);

function waitForUpdate(id: string, matches: (u: PaymentUpdateInput) => boolean): Promise<PaymentUpdateInput> {
  return vi.waitFor(
    () => {
      const found = updatesOf(id).find(matches);
      if (!found) throw new Error(`no such update of ${id} yet`);
      return found;
    },
    { timeout: 15_000, interval: 25 },
  );
}

const refundSettled = (id: string, refundId: string, status: "SUCCEEDED" | "FAILED") =>
  waitForUpdate(id, (u) => u.refundId === refundId && u.refundStatus === status);

const getPayment = async (id: string) =>
  ((await paymentsApi()(apiRequest("acme", "payment", { id }))) as { data: Payment }).data;

describe("authorize, capture, refund", () => {
  it("goes AUTHORIZED → partial capture → SETTLED → two refunds → one too many refused → REFUNDED", async () => {
    const id = await authorized("life-1", "20.00");
    expect(await getPayment(id)).toMatchObject({
      status: "AUTHORIZED",
      captureMethod: "MANUAL",
      capturedAmount: "0.00",
      amountRefundable: "0.00",
    });
    expect((await getPayment(id)).authorizationExpiresAt).toMatch(/^\d{4}-/);

    const over = await call("capturePayment", { paymentId: id, amount: "20.01", idempotencyKey: "cap-1x" });
    expect(over).toMatchObject({
      error: {
        errorType: "ValidationError",
        message: "input.amount: must not exceed the authorized amount 20.00 EUR",
        errorInfo: { field: "input.amount" },
      },
    });
    const capture = await call("capturePayment", { paymentId: id, amount: "15.00", idempotencyKey: "cap-1" });
    expect(capture).toMatchObject({ data: { id, status: "AUTHORIZED" } });
    // The same key and input answer the same, without a second capture; another input conflicts.
    expect(await call("capturePayment", { paymentId: id, amount: "15.00", idempotencyKey: "cap-1" })).toEqual(
      capture,
    );
    expect(
      await call("capturePayment", { paymentId: id, amount: "14.00", idempotencyKey: "cap-1" }),
    ).toMatchObject({
      error: { errorType: "IdempotencyConflict" },
    });
    const executed = await h.waitFor(id, "EXECUTED");
    expect(executed.amountCaptured).toBe("15.00");
    await h.waitFor(id, "SETTLED");
    expect(await getPayment(id)).toMatchObject({ capturedAmount: "15.00", amountRefundable: "15.00" });

    const first = (await call("refundPayment", {
      paymentId: id,
      amount: "5.00",
      reason: "REQUESTED_BY_CUSTOMER",
      idempotencyKey: "ref-1",
    })) as { data: Refund };
    expect(first.data).toMatchObject({ paymentId: id, status: "PENDING", amount: "5.00", currency: "EUR" });
    await refundSettled(id, first.data.id, "SUCCEEDED");
    const second = (await call("refundPayment", {
      paymentId: id,
      amount: "4.00",
      reason: "DUPLICATE",
      idempotencyKey: "ref-2",
    })) as { data: Refund };
    await refundSettled(id, second.data.id, "SUCCEEDED");
    expect(await getPayment(id)).toMatchObject({
      status: "SETTLED",
      refundedAmount: "9.00",
      amountRefundable: "6.00",
    });

    const tooMuch = await call("refundPayment", {
      paymentId: id,
      amount: "6.01",
      reason: "OTHER",
      idempotencyKey: "ref-3",
    });
    expect(tooMuch).toMatchObject({
      error: {
        errorType: "ValidationError",
        message: "input.amount: must not exceed the refundable amount 6.00 EUR",
        errorInfo: { field: "input.amount" },
      },
    });
    const rest = (await call("refundPayment", {
      paymentId: id,
      reason: "OTHER",
      idempotencyKey: "ref-4",
    })) as {
      data: Refund;
    };
    expect(rest.data.amount).toBe("6.00");
    const last = await refundSettled(id, rest.data.id, "SUCCEEDED");
    expect(last).toMatchObject({ status: "REFUNDED", previousStatus: "SETTLED", amountRefunded: "6.00" });

    const payment = await getPayment(id);
    expect(payment).toMatchObject({ status: "REFUNDED", refundedAmount: "15.00", amountRefundable: "0.00" });
    expect(payment.refunds.map((r) => [r.amount, r.status])).toEqual([
      ["5.00", "SUCCEEDED"],
      ["4.00", "SUCCEEDED"],
      ["6.00", "SUCCEEDED"],
    ]);
    const lookedUp = await paymentsApi()(apiRequest("acme", "refund", { id: first.data.id }));
    expect(lookedUp).toMatchObject({ data: { id: first.data.id, status: "SUCCEEDED", amount: "5.00" } });
    // Another tenant's refund is like a missing one.
    expect(await paymentsApi()(apiRequest("globex", "refund", { id: first.data.id }))).toEqual({
      data: null,
    });

    const seen = updatesOf(id).map((u) => [u.status, u.eventType, u.refundStatus ?? null]);
    expect(seen).toEqual([
      ["INITIATED", "PaymentInitiated", null],
      ["RISK_APPROVED", "PaymentRiskAssessed", null],
      ["AUTHORIZED", "PaymentAuthorized", null],
      ["AUTHORIZED", "PaymentCaptureRequested", null],
      ["EXECUTED", "PaymentCaptured", null],
      ["SETTLED", "PaymentSettled", null],
      ["SETTLED", "RefundRequested", "PENDING"],
      ["SETTLED", "RefundSucceeded", "SUCCEEDED"],
      ["SETTLED", "RefundRequested", "PENDING"],
      ["SETTLED", "RefundSucceeded", "SUCCEEDED"],
      ["SETTLED", "RefundRequested", "PENDING"],
      ["REFUNDED", "RefundSucceeded", "SUCCEEDED"],
    ]);
    const history = (await paymentsApi()(apiRequest("acme", "paymentEvents", { paymentId: id }))) as {
      data: { type: string; sequence: number }[];
    };
    expect(history.data.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("cancels an authorization (idempotently) and refuses a capture after it", async () => {
    const id = await authorized("life-cancel", "30.00");
    const canceled = await call("cancelPayment", {
      paymentId: id,
      reason: "order canceled",
      idempotencyKey: "can-1",
    });
    expect(canceled).toMatchObject({ data: { id, status: "CANCELED", reason: "order canceled" } });
    expect(
      await call("cancelPayment", { paymentId: id, reason: "order canceled", idempotencyKey: "can-1" }),
    ).toEqual(canceled);
    expect(
      await call("cancelPayment", { paymentId: id, reason: "other", idempotencyKey: "can-1" }),
    ).toMatchObject({
      error: { errorType: "IdempotencyConflict" },
    });
    const update = await h.waitFor(id, "CANCELED");
    expect(update).toMatchObject({ previousStatus: "AUTHORIZED", reason: "order canceled" });
    expect(await call("capturePayment", { paymentId: id, idempotencyKey: "cap-after-cancel" })).toMatchObject(
      {
        error: { errorType: "InvalidState" },
      },
    );
    expect(updatesOf(id).filter((u) => u.status === "CANCELED")).toHaveLength(1);
  });

  it("refuses a capture once the authorization expired", async () => {
    const id = await authorized("life-expired", "10.00");
    const later = new Date(Date.now() + 8 * 24 * 3_600_000);
    const refused = await call("capturePayment", { paymentId: id, idempotencyKey: "cap-late" }, "acme", {
      now: () => later,
    });
    expect(refused).toMatchObject({
      error: { errorType: "InvalidState", errorInfo: { reason: "authorization_expired" } },
    });
  });

  it("the sweeper cancels an expired authorization once, with reason expired", async () => {
    const id = await authorized("life-sweep", "10.00");
    const sweeperCtx = {
      stores: h.stores,
      publisher: h.pipeline.publisher,
      logger: createLogger("authorization-sweeper"),
      tracer: createTracer("authorization-sweeper"),
      now: () => new Date(),
      inProgressMs: 30_000,
    };
    // Within its window it stays AUTHORIZED.
    expect(await expireAuthorizations(sweeperCtx, "acme")).not.toContain(id);
    const later = { ...sweeperCtx, now: () => new Date(Date.now() + 8 * 24 * 3_600_000) };
    expect(await expireAuthorizations(later, "acme")).toContain(id);
    const update = await h.waitFor(id, "CANCELED");
    expect(update).toMatchObject({ previousStatus: "AUTHORIZED", reason: "expired" });
    expect(await expireAuthorizations(later, "acme")).not.toContain(id);
    expect(updatesOf(id).filter((u) => u.status === "CANCELED")).toHaveLength(1);
  });

  it("fails a capture of the sandbox card 4000000000000341 with card_declined", async () => {
    const id = await authorized("life-0341", "10.00", "4000000000000341");
    await call("capturePayment", { paymentId: id, idempotencyKey: "cap-0341" });
    const failed = await h.waitFor(id, "FAILED");
    expect(failed).toMatchObject({ previousStatus: "AUTHORIZED", reason: "card_declined" });
  });

  it("refuses MANUAL for account-to-account types and another tenant's payment", async () => {
    const sepa = await h.initiate("acme", {
      ...sepaInput("life-sepa"),
      captureMethod: "MANUAL",
    } as InitiatePaymentInput);
    expect(sepa).toMatchObject({
      error: { errorType: "ValidationError", errorInfo: { field: "input.captureMethod" } },
    });
    const id = await authorized("life-tenant", "10.00");
    for (const field of ["capturePayment", "cancelPayment", "refundPayment"]) {
      const input = { paymentId: id, idempotencyKey: `other-${field}`, reason: "OTHER" };
      const missing = { ...input, paymentId: "pay_01JZZZZZZZZZZZZZZZZZZZZZZZ" };
      const theirs = await call(field, input, "globex");
      expect(theirs).toEqual({ error: { errorType: "NotFound", message: "no such payment" } });
      expect(await call(field, missing)).toEqual(theirs);
    }
  });
});

describe("cancel in review", () => {
  it("cancels a payment IN_REVIEW at once, and a review afterwards is refused", async () => {
    const response = await h.initiate("acme", cardInput("life-review", "1500.00") as InitiatePaymentInput);
    const id = (response as { data: Payment }).data.id;
    await h.waitFor(id, "IN_REVIEW");
    const canceled = await call("cancelPayment", {
      paymentId: id,
      reason: "customer called",
      idempotencyKey: "cr-1",
    });
    expect(canceled).toMatchObject({ data: { status: "CANCELED" } });
    const approve = await paymentsApi()(apiRequest("acme", "approvePayment", { id, reason: "too late" }));
    expect(approve).toMatchObject({ error: { errorType: "InvalidState" } });
    await h.waitFor(id, "CANCELED");
    expect(updatesOf(id).map((u) => u.status)).toEqual(["INITIATED", "IN_REVIEW", "CANCELED"]);
  });
});

describe("refunds", () => {
  it("a succeeded refund is a negative settlement line and every refund event is audited", async () => {
    const id = await settled("life-ledger", "8.00");
    const refund = (await call("refundPayment", {
      paymentId: id,
      amount: "3.00",
      reason: "OTHER",
      idempotencyKey: "ledger-1",
    })) as { data: Refund };
    await refundSettled(id, refund.data.id, "SUCCEEDED");
    const s3 = s3Client({ endpoint: h.endpoints.s3 });
    const bucket = "local-payrail-acme-eu";
    const objects = async (prefix: string) => {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      const bodies = await Promise.all(
        (listed.Contents ?? []).map(
          async (o) =>
            (await (
              await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }))
            ).Body?.transformToString()) ?? "",
        ),
      );
      return bodies;
    };
    await expect
      .poll(
        async () => {
          const lines = (await objects("settlements/")).flatMap(
            (body) =>
              (
                JSON.parse(body) as {
                  payments: { paymentId: string; amountMinor: string; refundId?: string }[];
                }
              ).payments,
          );
          return lines
            .filter((line) => line.paymentId === id)
            .map((line) => [line.amountMinor, line.refundId ?? null]);
        },
        { timeout: 10_000, interval: 200 },
      )
      .toEqual([
        ["800", null],
        ["-300", refund.data.id],
      ]);
    await expect
      .poll(
        async () => {
          const lines = (await objects("audit/")).flatMap((body) => body.split("\n").filter(Boolean));
          return lines
            .map((line) => JSON.parse(line) as { paymentId: string; type: string })
            .filter((event) => event.paymentId === id)
            .map((event) => event.type)
            .filter((type) => type.startsWith("Refund"))
            .sort();
        },
        { timeout: 10_000, interval: 200 },
      )
      .toEqual(["RefundRequested", "RefundSucceeded"]);
  });

  it("a refund of an amount ending in .77 fails refund_failed and gives its amount back", async () => {
    const id = await settled("life-77", "10.00");
    const refund = (await call("refundPayment", {
      paymentId: id,
      amount: "5.77",
      reason: "OTHER",
      idempotencyKey: "r77",
    })) as { data: Refund };
    const failed = await refundSettled(id, refund.data.id, "FAILED");
    expect(failed).toMatchObject({ status: "SETTLED", reason: "refund_failed", amountRefunded: "5.77" });
    expect(await getPayment(id)).toMatchObject({ refundedAmount: "0.00", amountRefundable: "10.00" });
    const lookedUp = await paymentsApi()(apiRequest("acme", "refund", { id: refund.data.id }));
    expect(lookedUp).toMatchObject({ data: { status: "FAILED", failureReason: "refund_failed" } });
  });

  it("20 concurrent refunds asking for twice the amount never over-refund", async () => {
    const id = await settled("life-concurrent", "10.00");
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call("refundPayment", {
          paymentId: id,
          amount: "1.00",
          reason: "OTHER",
          idempotencyKey: `conc-${i}`,
        }),
      ),
    );
    const accepted = answers.filter((a) => "data" in a) as { data: Refund }[];
    const refused = answers.filter((a) => "error" in a);
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const answer of refused) {
      expect(answer).toMatchObject({
        error: { errorType: "ValidationError", errorInfo: { field: "input.amount" } },
      });
    }
    await Promise.all(accepted.map((a) => refundSettled(id, a.data.id, "SUCCEEDED")));
    await h.waitFor(id, "REFUNDED");
    const payment = await getPayment(id);
    expect(payment).toMatchObject({ status: "REFUNDED", refundedAmount: "10.00", amountRefundable: "0.00" });
    expect(payment.refunds).toHaveLength(10);
    // Every refund event took a sequence of its own.
    const history = (await paymentsApi()(apiRequest("acme", "paymentEvents", { paymentId: id }))) as {
      data: { sequence: number }[];
    };
    expect(history.data).toHaveLength(4 + 20);
  });
});
