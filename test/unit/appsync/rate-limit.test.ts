import { describe, expect, it } from "vitest";
import { createTenantRateLimiter } from "../../../local/appsync/rate-limit";

describe("createTenantRateLimiter", () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it("allows the burst, then refills at the rate", () => {
    const time = clock();
    const limiter = createTenantRateLimiter({ tokensPerSecond: 10, burst: 3 }, time.now);
    expect([1, 2, 3].map(() => limiter.take("a").allowed)).toEqual([true, true, true]);
    expect(limiter.take("a")).toEqual({ allowed: false, retryAfterMs: 100 });
    time.advance(100);
    expect(limiter.take("a").allowed).toBe(true);
    expect(limiter.take("a").allowed).toBe(false);
  });

  it("keeps one bucket per key", () => {
    const limiter = createTenantRateLimiter({ tokensPerSecond: 1, burst: 2 }, clock().now);
    expect(limiter.take("a", 2).allowed).toBe(true);
    expect(limiter.take("a").allowed).toBe(false);
    expect(limiter.take("b", 2).allowed).toBe(true);
  });

  it("never lets a request dearer than the burst through, and never fills past the burst", () => {
    const time = clock();
    const limiter = createTenantRateLimiter({ tokensPerSecond: 100, burst: 10 }, time.now);
    time.advance(60_000);
    expect(limiter.take("a", 11)).toEqual({ allowed: false, retryAfterMs: 0 });
    expect(limiter.take("a", 10).allowed).toBe(true);
    expect(limiter.take("a", 1)).toEqual({ allowed: false, retryAfterMs: 10 });
  });
});
