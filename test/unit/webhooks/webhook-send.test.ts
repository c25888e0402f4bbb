// The scheduled sender's run (consumers/webhook-send): ticks once a second for its run time,
// then waits for the POSTs in flight; a failed tick does not stop the run but fails it at the end.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runFor } from "../../../consumers/webhook-send/handler";
import type { WebhookDispatcher } from "../../../consumers/webhooks/dispatcher";

function fakeDispatcher(failAt?: number) {
  const calls = { ticks: 0, idles: 0 };
  const dispatcher: WebhookDispatcher = {
    async tick() {
      calls.ticks++;
      if (calls.ticks === failAt) throw new Error("tenant table unreachable");
    },
    async idle() {
      calls.idles++;
    },
    inFlight: () => 0,
  };
  return { dispatcher, calls };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("webhook-send runFor", () => {
  it("ticks each second for the run time, then waits for the POSTs in flight", async () => {
    const { dispatcher, calls } = fakeDispatcher();
    const run = runFor(dispatcher, 3000);
    await vi.advanceTimersByTimeAsync(3000);
    await run;
    expect(calls).toEqual({ ticks: 3, idles: 1 });
  });

  it("keeps ticking after a failed tick and fails the invocation at the end", async () => {
    const { dispatcher, calls } = fakeDispatcher(1);
    const run = runFor(dispatcher, 3000);
    const outcome = run.then(
      () => "resolved",
      (error: Error) => error.message,
    );
    await vi.advanceTimersByTimeAsync(3000);
    expect(await outcome).toBe("tenant table unreachable");
    expect(calls).toEqual({ ticks: 3, idles: 1 });
  });
});
