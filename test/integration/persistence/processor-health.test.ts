// Processor health against the real local DynamoDB (dynalite): two execution instances
// share one breaker, a breaker opened by one is seen open by the other, half-open probes
// are claimed fleet-wide, and counters added concurrently are all kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoDbProcessorHealthStore } from "../../../consumers/persistence/dynamodb/processor-health";
import type { Counts } from "../../../consumers/persistence/ports/processor-health";
import { sharedProcessorHealth } from "../../../consumers/persistence/processor-health";
import type { BreakerPolicy } from "../../../core/routing";
import { PROCESSOR_HEALTH_DEFINITION, processorHealthTable } from "../../../core/storage/tables";
import { ensureTable } from "../../../local/provisioning/resources";
import { type LocalStack, startLocalStack, TEST_ENV } from "./local-stack";

const policy: BreakerPolicy = {
  windowMs: 60_000,
  bucketMs: 5_000,
  minRequests: 4,
  errorRateBps: 5_000,
  slowCallMs: 2_000,
  slowRateBps: 5_000,
  openMs: 30_000,
  halfOpenProbes: 2,
  // Shorter than the 1 s steps below: each step reads the shared breaker again.
  viewMs: 500,
  // Each step's success reaches the shared window before the next step's fault is decided.
  flushMs: 1_000,
};

let stack: LocalStack;
let clock = Date.parse("2026-12-03T12:00:00Z");
const now = () => clock;
const fleet = () => {
  const store = dynamoDbProcessorHealthStore(stack.documents, processorHealthTable(TEST_ENV));
  return [
    sharedProcessorHealth(store, policy, { now }),
    sharedProcessorHealth(store, policy, { now }),
  ] as const;
};

beforeAll(async () => {
  stack = await startLocalStack();
  await ensureTable(stack.target.dynamodb, processorHealthTable(TEST_ENV), PROCESSOR_HEALTH_DEFINITION);
});
afterAll(() => stack.stop());

describe("processor health in DynamoDB", () => {
  it("trusts a fresh view of a closed breaker and adds up its successes: one write per flushMs", async () => {
    const store = dynamoDbProcessorHealthStore(stack.documents, processorHealthTable(TEST_ENV));
    const reads: string[] = [];
    const writes: number[] = [];
    const counted = {
      ...store,
      addSamples(p: string, startMs: number, counts: Counts, expiresAt: number) {
        writes.push(counts.requests);
        return store.addSamples(p, startMs, counts, expiresAt);
      },
      readBreaker(p: string) {
        reads.push(`readBreaker ${p}`);
        return store.readBreaker(p);
      },
      read(p: string, from: number) {
        reads.push(`read ${p}`);
        return store.read(p, from);
      },
    };
    const health = sharedProcessorHealth(counted, { ...policy, viewMs: 60_000, flushMs: 60_000 }, { now });
    clock += 10 * policy.windowMs;
    for (let call = 0; call < 5; call++) {
      expect(await health.available(["checkout_sandbox"])).toEqual(new Set(["checkout_sandbox"]));
      expect(await health.claim("checkout_sandbox")).toBe(true);
      expect((await health.report("checkout_sandbox", { fault: false, latencyMs: 100 })).status).toBe(
        "closed",
      );
    }
    expect(reads).toEqual(["readBreaker checkout_sandbox"]);
    // Successes wait for the interval (longer than this test), so none was written yet.
    expect(writes).toEqual([]);
    // A fault is decided on the shared window, so the pending samples go with it first.
    await health.report("checkout_sandbox", { fault: true, latencyMs: 100 });
    expect(reads).toEqual(["readBreaker checkout_sandbox", "read checkout_sandbox"]);
    expect(writes).toEqual([6]);
    const { buckets } = await store.read("checkout_sandbox", clock - policy.windowMs);
    expect(buckets.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(6);
    // The next successes wait again, and go out together (one write per window bucket).
    await health.report("checkout_sandbox", { fault: false, latencyMs: 100 });
    clock += policy.bucketMs;
    await health.report("checkout_sandbox", { fault: false, latencyMs: 100 });
    await health.report("checkout_sandbox", { fault: false, latencyMs: 100 });
    expect(writes).toEqual([6]);
    await health.flushAll();
    expect(writes.slice(1).sort()).toEqual([1, 2]);
    clock += 10 * policy.windowMs; // leaves the next tests an empty window
  });

  it("opens on one instance's failures, is skipped by the other, probes after openMs, then closes", async () => {
    const [a, b] = fleet();
    expect(await b.available(["stripe_sandbox", "adyen_sandbox"])).toEqual(
      new Set(["stripe_sandbox", "adyen_sandbox"]),
    );
    for (const fault of [true, true, false]) {
      expect((await a.report("stripe_sandbox", { fault, latencyMs: 100 })).status).toBe("closed");
      clock += 1_000;
    }
    expect((await b.report("stripe_sandbox", { fault: true, latencyMs: 100 })).status).toBe("open");
    expect(await a.available(["stripe_sandbox", "adyen_sandbox"])).toEqual(new Set(["adyen_sandbox"]));
    expect(await a.claim("stripe_sandbox")).toBe(false);

    clock += policy.openMs;
    expect(await a.claim("stripe_sandbox")).toBe(true);
    expect(await b.claim("stripe_sandbox")).toBe(true);
    expect(await b.claim("stripe_sandbox")).toBe(false); // both probes are out
    expect((await a.report("stripe_sandbox", { fault: false, latencyMs: 100 })).status).toBe("half_open");
    expect((await b.report("stripe_sandbox", { fault: false, latencyMs: 100 })).status).toBe("closed");
    expect(await b.available(["stripe_sandbox"])).toEqual(new Set(["stripe_sandbox"]));
  });

  it("never lets the fleet claim more half-open probes than allowed, however many race", async () => {
    const [a, b] = fleet();
    for (let i = 0; i < 4; i++) await a.report("checkout_sandbox", { fault: true, latencyMs: 100 });
    expect(await b.claim("checkout_sandbox")).toBe(false);
    clock += policy.openMs;
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).claim("checkout_sandbox")),
    );
    const granted = claims.filter(Boolean).length;
    expect(granted).toBeGreaterThanOrEqual(1);
    expect(granted).toBeLessThanOrEqual(policy.halfOpenProbes);
  });

  it("keeps every concurrently added sample, and reopens on slowness", async () => {
    const [a, b] = fleet();
    clock += 10 * policy.windowMs;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).report("adyen_sandbox", { fault: false, latencyMs: 3_000 }),
      ),
    );
    const store = dynamoDbProcessorHealthStore(stack.documents, processorHealthTable(TEST_ENV));
    const { breaker, buckets } = await store.read("adyen_sandbox", clock - policy.windowMs);
    expect(buckets.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(10);
    expect(buckets.reduce((sum, bucket) => sum + bucket.slow, 0)).toBe(10);
    expect(breaker.status).toBe("open");
  });
});
