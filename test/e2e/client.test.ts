// @payrail/client against the whole local stack (`npm start` in a child process): payments
// watched to their end over the real-time protocol, idempotent retries, and each errorType
// surfacing as its class. The client is used as an app would: no Amplify.configure, only
// an endpoint and a token.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONNECTION_STATE_CHANGE, ConnectionState } from "aws-amplify/api";
import { Hub } from "aws-amplify/utils";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createPayrailClient,
  IdempotencyConflict,
  InvalidState,
  type NewPayment,
  NotFound,
  type PaymentProgress,
  type PayrailClient,
  type PayrailClientOptions,
  PayrailError,
  Unauthorized,
  ValidationError,
} from "../../clients/typescript/src";
import { randomTestCard } from "./cards";
import { type RunningStack, startStack, trustStackCa } from "./stack";

let stack: RunningStack;
let dir: string;
let acme: PayrailClient;
let globex: PayrailClient;
/** Every WebSocket Amplify opened, so a test can cut one. */
const sockets: { terminate(): void }[] = [];

const client = (token: string, options: Partial<PayrailClientOptions> = {}) =>
  createPayrailClient({ endpoint: stack.info.endpoints.graphql, token, ...options });

// A fresh card per payment: the risk rules' per-payer velocity would send repeats to review.
const cardPayment = (amount: string, extra: Partial<NewPayment> = {}): NewPayment => ({
  amount,
  currency: "EUR",
  paymentType: "CARD",
  payer: {
    name: "Ada Lovelace",
    country: "DE",
    card: { number: randomTestCard(), expiryMonth: 12, expiryYear: 2030, cvc: "123" },
  },
  ...extra,
});

/** Loses the answer to the first request of `operation` (after the API handled it), as a reset connection does. */
function cutFirstAnswer(operation: string) {
  const realFetch = globalThis.fetch;
  let sent = 0;
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const response = await realFetch(input, init);
    if (!String(init?.body ?? "").includes(operation)) return response;
    sent++;
    if (sent === 1) throw new TypeError("fetch failed");
    return response;
  });
  return { sent: () => sent, restore: () => spy.mockRestore() };
}

async function collect(updates: AsyncIterable<PaymentProgress>): Promise<PaymentProgress[]> {
  const seen: PaymentProgress[] = [];
  for await (const update of updates) seen.push(update);
  return seen;
}

/** Whether `statuses` is an ordered part of `path` (watchPayment starts wherever the payment is). */
const isSubsequence = (statuses: string[], path: string[]) => {
  let at = 0;
  for (const status of statuses) {
    at = path.indexOf(status, at);
    if (at < 0) return false;
    at++;
  }
  return true;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "payrail-client-"));
  stack = await startStack(dir, { memory: true });
  await trustStackCa(stack.info);
  const Trusting = globalThis.WebSocket as unknown as new (...args: unknown[]) => { terminate(): void };
  (globalThis as { WebSocket: unknown }).WebSocket = class extends Trusting {
    constructor(...args: unknown[]) {
      super(...args);
      sockets.push(this);
    }
  };
  acme = client(stack.info.tenants.acme?.apiToken ?? "");
  // A token function, as an app refreshing its token passes it: called before every request.
  const globexToken = stack.info.tenants.globex?.apiToken ?? "";
  globex = createPayrailClient({ endpoint: stack.info.endpoints.graphql, token: async () => globexToken });
});

afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("@payrail/client against the local stack", () => {
  it("initiates a payment and watches it to SETTLED, updates in sequence order", async () => {
    const payment = await acme.initiatePayment(cardPayment("12.50", { metadata: { order: "1001" } }));
    expect(payment).toMatchObject({ amount: "12.50", currency: "EUR", paymentType: "CARD" });
    expect(payment.payer.cardLast4).toHaveLength(4);
    expect(JSON.parse(payment.metadata ?? "null")).toEqual({ order: "1001" });
    // The key was made up by the client.
    expect(payment.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);

    const seen = await collect(acme.watchPayment(payment.id));
    const statuses = seen.map((u) => u.status);
    expect(statuses.at(-1)).toBe("SETTLED");
    expect(isSubsequence(statuses, ["INITIATED", "RISK_APPROVED", "EXECUTED", "SETTLED"])).toBe(true);
    const sequences = seen.map((u) => u.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(sequences.length);
    expect(seen.every((u) => u.paymentId === payment.id && u.correlationId === payment.correlationId)).toBe(
      true,
    );
  });

  it("yields every live update in order: a payment in review, approved, then settled", async () => {
    const payment = await acme.initiatePayment(cardPayment("1500.00"));
    const seen: string[] = [];
    for await (const update of acme.watchPayment(payment.id)) {
      seen.push(update.status);
      if (update.status === "IN_REVIEW") {
        const approved = await acme.approvePayment({ id: payment.id, reason: "checked by hand" });
        expect(approved.id).toBe(payment.id);
      }
    }
    // Everything after the review came over the subscription, so nothing may be missing.
    expect(seen.slice(seen.indexOf("IN_REVIEW"))).toEqual([
      "IN_REVIEW",
      "RISK_APPROVED",
      "EXECUTED",
      "SETTLED",
    ]);
  });

  it("ends the watch on break and still answers afterwards", async () => {
    const payment = await acme.initiatePayment(cardPayment("1600.00"));
    for await (const update of acme.watchPayment(payment.id)) {
      expect(update.paymentId).toBe(payment.id);
      break;
    }
    const declined = await collectAfterDecline(payment.id);
    expect(declined.at(-1)?.status).toBe("DECLINED");
  });

  it("survives a lost connection: updates published while it was down are read back", async () => {
    const payment = await acme.initiatePayment(cardPayment("1700.00"));
    const updates = acme.watchPayment(payment.id);
    let first = await updates.next();
    while (!first.done && first.value.status !== "IN_REVIEW") first = await updates.next();
    const disrupted = new Promise<void>((resolve) => {
      const stop = Hub.listen("api", ({ payload }) => {
        const state = (payload.data as { connectionState?: string } | undefined)?.connectionState;
        if (payload.event !== CONNECTION_STATE_CHANGE || state !== ConnectionState.ConnectionDisrupted)
          return;
        stop();
        resolve();
      });
    });
    for (const socket of sockets.splice(0)) socket.terminate();
    await disrupted;
    // While the socket is down (Amplify reconnects after 5 s) the payment runs to its end.
    await acme.approvePayment({ id: payment.id, reason: "checked" });
    await vi.waitFor(
      async () => {
        expect((await acme.payment({ id: payment.id }))?.status).toBe("SETTLED");
      },
      { timeout: 10_000, interval: 100 },
    );
    const rest: PaymentProgress[] = [];
    for await (const update of updates) rest.push(update);
    expect(rest.at(-1)?.status).toBe("SETTLED");
    const sequences = rest.map((u) => u.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  });

  it("answers a retried initiatePayment with the same payment", async () => {
    const input = cardPayment("7.00", { idempotencyKey: `client-${Date.now()}` });
    const first = await acme.initiatePayment(input);
    const again = await acme.initiatePayment(input);
    expect(again.id).toBe(first.id);
    const events = await acme.paymentEvents({ paymentId: first.id });
    expect(events.filter((e) => e.type === "PaymentInitiated")).toHaveLength(1);
  });

  it("raises IdempotencyConflict for the same key with another payload", async () => {
    const input = cardPayment("8.00", { idempotencyKey: `conflict-${Date.now()}` });
    await acme.initiatePayment(input);
    const error = await acme.initiatePayment({ ...input, amount: "9.00" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyConflict);
    expect(error).toBeInstanceOf(PayrailError);
    expect((error as PayrailError).message).toMatch(/different payload/);
  });

  it("raises ValidationError naming the field", async () => {
    const error = await acme.initiatePayment(cardPayment("12.345")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("input.amount");
    expect((error as ValidationError).message).toContain("input.amount");
  });

  it("treats another tenant's payment as missing: null, NotFound to review and to watch", async () => {
    const payment = await acme.initiatePayment(cardPayment("3.00"));
    expect(await globex.payment({ id: payment.id })).toBeNull();
    expect(await globex.paymentEvents({ paymentId: payment.id })).toEqual([]);
    await expect(globex.approvePayment({ id: payment.id, reason: "mine" })).rejects.toBeInstanceOf(NotFound);
    await expect(collect(globex.watchPayment(payment.id))).rejects.toBeInstanceOf(NotFound);
    expect((await acme.payment({ id: payment.id }))?.id).toBe(payment.id);
  });

  it("raises Unauthorized for a token the authorizer refuses", async () => {
    const stranger = client("prl_acme_notarealtoken", { retry: { attempts: 1 } });
    await expect(stranger.payment({ id: "pay_01AAAAAAAAAAAAAAAAAAAAAAAA" })).rejects.toBeInstanceOf(
      Unauthorized,
    );
  });

  it("retries a request whose answer was lost with the same key: one payment, the first answer", async () => {
    // The request reaches the API and is done; its answer is lost on the way back, as a
    // connection reset looks to the app. It is sent again (Amplify's own retry of network
    // errors comes first, then the client's) with the key the client made up once.
    const cut = cutFirstAnswer("InitiatePayment");
    const keys: string[] = [];
    const retrying = client(stack.info.tenants.acme?.apiToken ?? "", {
      newIdempotencyKey: () => {
        keys.push(`lost-${Date.now()}-${keys.length}`);
        return keys.at(-1) ?? "";
      },
    });
    try {
      const answer = await retrying.initiatePayment(cardPayment("4.00"));
      expect(cut.sent()).toBe(2);
      expect(keys).toHaveLength(1);
      expect(answer.idempotencyKey).toBe(keys[0]);
      const { items } = await acme.payments({ limit: 100 });
      expect(items.filter((p) => p.idempotencyKey === keys[0]).map((p) => p.id)).toEqual([answer.id]);
    } finally {
      cut.restore();
    }
  });
});

describe("@payrail/client: the payment lifecycle against the local stack", () => {
  it("authorizes (MANUAL), captures part, watches to SETTLED, refunds; errors as classes", async () => {
    const payment = await acme.initiatePayment(cardPayment("40.00", { captureMethod: "MANUAL" }));
    expect(payment.captureMethod).toBe("MANUAL");
    const seen: PaymentProgress[] = [];
    for await (const update of acme.watchPayment(payment.id)) {
      seen.push(update);
      if (
        update.status !== "AUTHORIZED" ||
        seen.some((u, i) => i < seen.length - 1 && u.status === "AUTHORIZED")
      )
        continue;
      // More than the authorization: refused, naming the field; nothing is captured.
      const over = await acme
        .capturePayment({ paymentId: payment.id, amount: "40.01" })
        .catch((e: unknown) => e);
      expect(over).toBeInstanceOf(ValidationError);
      expect((over as ValidationError).field).toBe("input.amount");
      // The client makes the key up; the watch goes on through the capture.
      const captured = await acme.capturePayment({ paymentId: payment.id, amount: "30.00" });
      expect(captured.id).toBe(payment.id);
    }
    const statuses = seen.map((u) => u.status);
    expect(statuses.at(-1)).toBe("SETTLED");
    expect(statuses.slice(statuses.indexOf("AUTHORIZED"))).toEqual([
      "AUTHORIZED",
      "AUTHORIZED",
      "EXECUTED",
      "SETTLED",
    ]);
    const settled = await acme.payment({ id: payment.id });
    expect(settled).toMatchObject({
      capturedAmount: "30.00",
      amountRefundable: "30.00",
      refundedAmount: "0.00",
    });

    // A settled payment cannot be canceled or captured again.
    const cancel = await acme
      .cancelPayment({ paymentId: payment.id, reason: "too late" })
      .catch((e: unknown) => e);
    expect(cancel).toBeInstanceOf(InvalidState);
    await expect(acme.capturePayment({ paymentId: payment.id })).rejects.toBeInstanceOf(InvalidState);

    const key = `refund-${Date.now()}`;
    const refund = await acme.refundPayment({
      paymentId: payment.id,
      amount: "10.00",
      reason: "REQUESTED_BY_CUSTOMER",
      idempotencyKey: key,
    });
    expect(refund).toMatchObject({ paymentId: payment.id, amount: "10.00", currency: "EUR" });
    // The same key answers the same refund; the refund query finds it.
    const again = await acme.refundPayment({
      paymentId: payment.id,
      amount: "10.00",
      reason: "REQUESTED_BY_CUSTOMER",
      idempotencyKey: key,
    });
    expect(again.id).toBe(refund.id);
    expect((await acme.refund({ id: refund.id }))?.paymentId).toBe(payment.id);
    expect(await globex.refund({ id: refund.id })).toBeNull();
    // More than what is left: refused with the refundable amount in the message.
    const tooMuch = await acme
      .refundPayment({ paymentId: payment.id, amount: "20.01", reason: "OTHER" })
      .catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(ValidationError);
    expect((tooMuch as ValidationError).field).toBe("input.amount");
    expect((tooMuch as ValidationError).message).toContain("20.00");
    // The rest (no amount) refunds the payment in full. (A watch would end at once: SETTLED
    // ends it, refunds are followed by reading the payment.)
    await acme.refundPayment({ paymentId: payment.id, reason: "OTHER" });
    await vi.waitFor(
      async () => {
        expect((await acme.payment({ id: payment.id }))?.status).toBe("REFUNDED");
      },
      { timeout: 20_000, interval: 100 },
    );
    expect((await collect(acme.watchPayment(payment.id))).map((u) => u.status)).toEqual(["REFUNDED"]);
    const refunded = await acme.payment({ id: payment.id });
    expect(refunded?.refunds.map((r) => [r.amount, r.status])).toEqual([
      ["10.00", "SUCCEEDED"],
      ["20.00", "SUCCEEDED"],
    ]);
    const events = await acme.paymentEvents({ paymentId: payment.id });
    expect(events.filter((e) => e.type === "RefundRequested")).toHaveLength(2);
  });

  it("sends a refund whose answer was lost again with the key it made up: one refund", async () => {
    const payment = await acme.initiatePayment(cardPayment("9.00"));
    await collect(acme.watchPayment(payment.id));
    const cut = cutFirstAnswer("RefundPayment");
    try {
      const refund = await acme.refundPayment({ paymentId: payment.id, amount: "2.00", reason: "OTHER" });
      expect(cut.sent()).toBe(2);
      const after = await acme.payment({ id: payment.id });
      expect(after?.refunds.map((r) => r.id)).toEqual([refund.id]);
      expect(after?.amountRefundable).toBe("7.00");
    } finally {
      cut.restore();
    }
  });

  it("cancels an authorization; the watch ends at CANCELED", async () => {
    const payment = await acme.initiatePayment(cardPayment("15.00", { captureMethod: "MANUAL" }));
    const seen: string[] = [];
    for await (const update of acme.watchPayment(payment.id)) {
      seen.push(update.status);
      if (update.status === "AUTHORIZED")
        await acme.cancelPayment({ paymentId: payment.id, reason: "out of stock" });
    }
    expect(seen.slice(-2)).toEqual(["AUTHORIZED", "CANCELED"]);
    expect((await acme.payment({ id: payment.id }))?.reason).toBe("out of stock");
  });
});

async function collectAfterDecline(id: string): Promise<PaymentProgress[]> {
  const seen: PaymentProgress[] = [];
  for await (const update of acme.watchPayment(id)) {
    seen.push(update);
    if (update.status === "IN_REVIEW") await acme.declinePayment({ id, reason: "suspicious" });
  }
  return seen;
}
