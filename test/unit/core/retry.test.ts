import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelay, retrying } from "../../../core/retry";

const noSleep = { sleep: async () => {} };

describe("retrying", () => {
  it("returns the first success and stops trying", async () => {
    const attempts: number[] = [];
    const value = await retrying(
      async (attempt) => {
        attempts.push(attempt);
        if (attempt < 3) throw new Error(`try ${attempt}`);
        return "ok";
      },
      { maxAttempts: 5, baseMs: 10, capMs: 100 },
      noSleep,
    );
    expect(value).toBe("ok");
    expect(attempts).toEqual([1, 2, 3]);
  });

  it("rethrows the last error after maxAttempts, pausing before each retry only", async () => {
    const pauses: number[] = [];
    let calls = 0;
    await expect(
      retrying(
        async (attempt) => {
          calls++;
          throw new Error(`try ${attempt}`);
        },
        { maxAttempts: 4, baseMs: 10, capMs: 1000 },
        { sleep: async (ms) => void pauses.push(ms), random: () => 0.5 },
      ),
    ).rejects.toThrow("try 4");
    expect(calls).toBe(4);
    expect(pauses).toEqual([10, 20, 40]);
  });

  it("throws an error that is not retryable at once", async () => {
    let calls = 0;
    await expect(
      retrying(
        async () => {
          calls++;
          throw new Error("final");
        },
        { maxAttempts: 5, baseMs: 1, capMs: 1 },
        { ...noSleep, retryable: () => false },
      ),
    ).rejects.toThrow("final");
    expect(calls).toBe(1);
  });
});

describe("backoffDelay (full jitter)", () => {
  it("stays in [0, min(cap, base·2^n))", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (n, r) => {
          const delay = backoffDelay({ baseMs: 25, capMs: 1000 }, n, () => r);
          return delay >= 0 && delay < Math.min(1000, 25 * 2 ** n) && Number.isInteger(delay);
        },
      ),
    );
  });

  it("spreads retries over the window instead of a fixed pause", () => {
    expect(backoffDelay({ baseMs: 100, capMs: 10_000 }, 2, () => 0)).toBe(0);
    expect(backoffDelay({ baseMs: 100, capMs: 10_000 }, 2, () => 0.99)).toBe(396);
  });
});
