// watchPayment over a fake transport: the observer the subscription was given is driven by hand.
import { describe, expect, it } from "vitest";
import { InternalError, NotFound, type PayrailError } from "../../../clients/typescript/src/errors";
import type {
  OnPaymentUpdatedSubscription,
  PaymentFieldsFragment,
  PaymentStatus,
} from "../../../clients/typescript/src/generated/graphql";
import { type PaymentProgress, type WatchApi, watchPayment } from "../../../clients/typescript/src/watch";

type Observer = {
  next(data: OnPaymentUpdatedSubscription): void;
  error(error: PayrailError): void;
  resumed(): void;
};

function fakeApi(initial: Partial<PaymentFieldsFragment> | null) {
  let current = initial;
  const state = { observer: undefined as Observer | undefined, variables: {} as object, unsubscribed: 0 };
  const api: WatchApi = {
    subscribe: async (_document, variables, observer) => {
      state.observer = observer as unknown as Observer;
      state.variables = variables;
      return {
        unsubscribe: () => {
          state.unsubscribed++;
        },
      };
    },
    current: async (id) =>
      current &&
      ({ id, correlationId: "c-1", reason: null, updatedAt: "t0", ...current } as PaymentFieldsFragment),
  };
  const push = (status: PaymentStatus, sequence: number) =>
    state.observer?.next({
      onPaymentUpdated: {
        tenantId: "acme",
        paymentId: "pay_1",
        status,
        sequence,
        previousStatus: null,
        paymentType: "CARD",
        amount: "1.00",
        currency: "EUR",
        eventType: "x",
        reason: null,
        correlationId: "c-1",
        occurredAt: `t${sequence}`,
      },
    });
  const becomes = (next: Partial<PaymentFieldsFragment>) => {
    current = next;
  };
  return { api, state, push, becomes };
}

/** Pulls one value, then lets `between` push updates before the next pull. */
async function drive(
  updates: AsyncGenerator<PaymentProgress>,
  between: () => void,
): Promise<PaymentProgress[]> {
  const seen: PaymentProgress[] = [];
  const first = await updates.next();
  if (!first.done) seen.push(first.value);
  between();
  for await (const update of updates) seen.push(update);
  return seen;
}

describe("watchPayment", () => {
  it("yields the current state, then newer updates in order, and ends at a terminal state", async () => {
    const { api, state, push } = fakeApi({ status: "RISK_APPROVED", sequence: 2 });
    const seen = await drive(watchPayment(api, "pay_1"), () => {
      push("INITIATED", 1); // older than the current state: dropped
      push("RISK_APPROVED", 2); // the current state again: dropped
      push("EXECUTED", 3);
      push("SETTLED", 4);
      push("SETTLED", 5); // after the end: never read
    });
    expect(seen.map((u) => [u.status, u.sequence])).toEqual([
      ["RISK_APPROVED", 2],
      ["EXECUTED", 3],
      ["SETTLED", 4],
    ]);
    expect(state.variables).toEqual({ paymentId: "pay_1" });
    expect(state.unsubscribed).toBe(1);
  });

  it("waits for updates that arrive later", async () => {
    const { api, push } = fakeApi({ status: "INITIATED", sequence: 1 });
    const updates = watchPayment(api, "pay_1");
    expect((await updates.next()).value?.status).toBe("INITIATED");
    const pending = updates.next();
    push("DECLINED", 2);
    expect((await pending).value).toMatchObject({ status: "DECLINED", sequence: 2, occurredAt: "t2" });
    expect((await updates.next()).done).toBe(true);
  });

  it("ends at once for a payment already in a terminal state", async () => {
    const { api, state } = fakeApi({ status: "FAILED", sequence: 3, reason: "card_declined" });
    const seen = await drive(watchPayment(api, "pay_1"), () => undefined);
    expect(seen).toEqual([
      {
        paymentId: "pay_1",
        status: "FAILED",
        sequence: 3,
        reason: "card_declined",
        correlationId: "c-1",
        occurredAt: "t0",
      },
    ]);
    expect(state.unsubscribed).toBe(1);
  });

  it("unsubscribes when the loop is left early", async () => {
    const { api, state } = fakeApi({ status: "IN_REVIEW", sequence: 2 });
    for await (const update of watchPayment(api, "pay_1")) {
      expect(update.status).toBe("IN_REVIEW");
      break;
    }
    expect(state.unsubscribed).toBe(1);
  });

  it("throws NotFound for a payment the caller cannot see, and unsubscribes", async () => {
    const { api, state } = fakeApi(null);
    await expect(watchPayment(api, "pay_other").next()).rejects.toBeInstanceOf(NotFound);
    expect(state.unsubscribed).toBe(1);
  });

  it("throws the subscription's error", async () => {
    const { api, state } = fakeApi({ status: "INITIATED", sequence: 1 });
    const updates = watchPayment(api, "pay_1");
    await updates.next();
    const pending = updates.next();
    state.observer?.error(new InternalError("InternalError", "socket closed"));
    await expect(pending).rejects.toThrow("socket closed");
    expect(state.unsubscribed).toBe(1);
  });

  it("reads the current state again when the subscription resumes after a lost connection", async () => {
    const { api, state, becomes } = fakeApi({ status: "IN_REVIEW", sequence: 2 });
    const updates = watchPayment(api, "pay_1");
    expect((await updates.next()).value?.status).toBe("IN_REVIEW");
    const pending = updates.next();
    // Everything up to SETTLED was published while the socket was down.
    becomes({ status: "SETTLED", sequence: 5, updatedAt: "t5" });
    state.observer?.resumed();
    expect((await pending).value).toMatchObject({ status: "SETTLED", sequence: 5, occurredAt: "t5" });
    expect((await updates.next()).done).toBe(true);
    expect(state.unsubscribed).toBe(1);
  });

  it("stops on abort", async () => {
    const { api, state } = fakeApi({ status: "INITIATED", sequence: 1 });
    const controller = new AbortController();
    const updates = watchPayment(api, "pay_1", { signal: controller.signal });
    await updates.next();
    const pending = updates.next();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(state.unsubscribed).toBe(1);
  });

  it("subscribes only once iterated", async () => {
    const { api, state } = fakeApi({ status: "INITIATED", sequence: 1 });
    watchPayment(api, "pay_1");
    expect(state.observer).toBeUndefined();
  });
});
