// The circuit breaker's transitions, by example and as a property over arbitrary traffic.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addSample,
  admit,
  afterResult,
  type BreakerPolicy,
  type BreakerState,
  type Bucket,
  CLOSED,
  isAvailable,
  windowTotals,
} from "../../../core/routing";

const policy: BreakerPolicy = {
  windowMs: 10_000,
  bucketMs: 1_000,
  minRequests: 4,
  errorRateBps: 5_000,
  slowCallMs: 1_000,
  slowRateBps: 5_000,
  openMs: 5_000,
  viewMs: 1_000,
  flushMs: 1_000,
  halfOpenProbes: 2,
};

/** Feeds one result through the window and the state machine. */
function feed(
  state: BreakerState,
  buckets: Bucket[],
  fault: boolean,
  at: number,
  latencyMs = 10,
): BreakerState {
  const sample = { fault, latencyMs };
  addSample(buckets, sample, at, policy);
  return afterResult(state, sample, windowTotals(buckets, state, at, policy), at, policy);
}

describe("circuit breaker", () => {
  it("stays closed under minRequests, opens at the error rate, probes after openMs, closes after good probes", () => {
    const buckets: Bucket[] = [];
    let state = CLOSED;
    state = feed(state, buckets, true, 100);
    state = feed(state, buckets, true, 200);
    state = feed(state, buckets, true, 300);
    expect(state.status).toBe("closed"); // 3 < minRequests
    state = feed(state, buckets, false, 400);
    expect(state).toMatchObject({ status: "open", sinceMs: 400 }); // 3 of 4 ≥ 50%
    expect(admit(state, 5_399, policy).allowed).toBe(false);
    expect(isAvailable(state, 5_399, policy)).toBe(false);
    const first = admit(state, 5_400, policy);
    expect(first).toMatchObject({ allowed: true, probe: true, next: { status: "half_open", probes: 1 } });
    const second = admit(first.next, 5_401, policy);
    expect(second).toMatchObject({ allowed: true, next: { probes: 2 } });
    expect(admit(second.next, 5_402, policy).allowed).toBe(false); // no third probe in flight
    state = feed(second.next, buckets, false, 5_500);
    expect(state).toMatchObject({ status: "half_open", probeSuccesses: 1 });
    state = feed(state, buckets, false, 5_600);
    expect(state).toMatchObject({ status: "closed", sinceMs: 5_600 });
    // Closing forgets the failures that opened it.
    expect(windowTotals(buckets, state, 5_600, policy).errors).toBe(0);
  });

  it("reopens on a failed or slow probe, and opens on slowness alone", () => {
    const halfOpen: BreakerState = { status: "half_open", sinceMs: 0, probes: 1, probeSuccesses: 0 };
    expect(feed(halfOpen, [], true, 10).status).toBe("open");
    expect(feed(halfOpen, [], false, 10, 1_500).status).toBe("open");
    const buckets: Bucket[] = [];
    let state = CLOSED;
    for (let i = 0; i < 4; i++) state = feed(state, buckets, false, 100 * i, 2_000);
    expect(state.status).toBe("open");
  });

  it("forgets samples older than the window", () => {
    const buckets: Bucket[] = [];
    let state = CLOSED;
    for (let i = 0; i < 3; i++) state = feed(state, buckets, true, i);
    // Ten seconds later those three are out of the window: one more failure is 1 of 1 < minRequests.
    state = feed(state, buckets, true, 12_000);
    expect(state.status).toBe("closed");
    expect(windowTotals(buckets, state, 12_000, policy)).toEqual({ requests: 1, errors: 1, slow: 0 });
  });

  it("property: only the documented transitions happen, and an open breaker admits nothing before openMs", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ gapMs: fc.integer({ min: 0, max: 3_000 }), fault: fc.boolean(), slow: fc.boolean() }),
          {
            maxLength: 200,
          },
        ),
        (traffic) => {
          const buckets: Bucket[] = [];
          let state = CLOSED;
          let now = 0;
          for (const { gapMs, fault, slow } of traffic) {
            now += gapMs;
            const gate = admit(state, now, policy);
            if (state.status === "open" && now - state.sinceMs < policy.openMs)
              expect(gate.allowed).toBe(false);
            if (!gate.allowed) continue;
            const before = gate.next;
            const after = feed(before, buckets, fault, now, slow ? 1_500 : 10);
            const move = `${before.status}->${after.status}`;
            expect([
              "closed->closed",
              "closed->open",
              "half_open->half_open",
              "half_open->open",
              "half_open->closed",
            ]).toContain(move);
            if (move === "half_open->closed") expect(after).toMatchObject({ probes: 0 });
            if (move === "closed->open") {
              const totals = windowTotals(buckets, before, now, policy);
              expect(totals.requests).toBeGreaterThanOrEqual(policy.minRequests);
            }
            state = after;
          }
        },
      ),
    );
  });
});
