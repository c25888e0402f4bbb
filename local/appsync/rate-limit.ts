// Per-tenant request rate (#16): a token bucket per tenant, so one tenant's burst or alias
// bomb is refused without slowing another's requests. Pure; the clock is injected.

export type TenantRate = { tokensPerSecond: number; burst: number };

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

type Bucket = { tokens: number; at: number };

/** Buckets idle long enough to be full again are dropped, so unknown keys cannot grow the map forever. */
const MAX_BUCKETS = 10_000;

export function createTenantRateLimiter(rate: TenantRate, now: () => number = Date.now) {
  const buckets = new Map<string, Bucket>();
  const refill = (bucket: Bucket, at: number) =>
    Math.min(rate.burst, bucket.tokens + ((at - bucket.at) / 1000) * rate.tokensPerSecond);

  /** Takes `cost` tokens from `key`'s bucket, or says how long until they would be there. */
  const take = (key: string, cost = 1): RateDecision => {
    const at = now();
    const bucket = buckets.get(key) ?? { tokens: rate.burst, at };
    const tokens = refill(bucket, at);
    if (tokens >= cost) {
      buckets.delete(key);
      buckets.set(key, { tokens: tokens - cost, at });
      if (buckets.size > MAX_BUCKETS) prune(at);
      return { allowed: true };
    }
    buckets.set(key, { tokens, at });
    // A request dearer than the whole bucket never fits; it waits as long as a full refill.
    const missing = Math.min(cost, rate.burst) - tokens;
    return { allowed: false, retryAfterMs: Math.ceil((missing / rate.tokensPerSecond) * 1000) };
  };

  const prune = (at: number) => {
    for (const [key, bucket] of buckets) if (refill(bucket, at) >= rate.burst) buckets.delete(key);
  };

  return { take };
}

export type TenantRateLimiter = ReturnType<typeof createTenantRateLimiter>;
