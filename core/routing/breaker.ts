// The circuit breaker as a pure state machine over a rolling window of buckets. Where
// the state lives (DynamoDB for the Lambda fleet, memory for the bench) is the caller's.
//
//   closed ──(≥ minRequests in the window and error or slow rate ≥ threshold)──▶ open
//   open ──(openMs elapsed: the next admission is a probe)──▶ half_open
//   half_open ──(a probe fails or is slow)──▶ open;  ──(halfOpenProbes probes succeed)──▶ closed

export type BreakerPolicy = {
  windowMs: number;
  bucketMs: number;
  minRequests: number;
  errorRateBps: number;
  slowCallMs: number;
  slowRateBps: number;
  openMs: number;
  halfOpenProbes: number;
  /**
   * How long an instance trusts its last view of a closed breaker before reading the shared
   * one again: a healthy processor costs no read per call, an opened breaker reaches the
   * other instances within this time.
   */
  viewMs: number;
  /**
   * How long an instance may hold a processor's successful samples before adding them to
   * the shared window (one write per processor per flushMs, not one per call); a fault or
   * slow call is written at once.
   */
  flushMs: number;
};

export const DEFAULT_BREAKER: BreakerPolicy = {
  windowMs: 60_000,
  bucketMs: 5_000,
  minRequests: 20,
  errorRateBps: 5_000,
  slowCallMs: 5_000,
  slowRateBps: 5_000,
  openMs: 30_000,
  halfOpenProbes: 3,
  viewMs: 1_000,
  flushMs: 1_000,
};

export type BreakerStatus = "closed" | "open" | "half_open";

export type BreakerState = {
  status: BreakerStatus;
  /** When the current status began (epoch ms); a closed breaker counts only samples since. */
  sinceMs: number;
  /** Half-open: probes admitted and probes that succeeded. */
  probes: number;
  probeSuccesses: number;
};

export const CLOSED: BreakerState = { status: "closed", sinceMs: 0, probes: 0, probeSuccesses: 0 };

export type Bucket = { startMs: number; requests: number; errors: number; slow: number };
export type Sample = { fault: boolean; latencyMs: number };

export const bucketStart = (atMs: number, policy: BreakerPolicy): number =>
  Math.floor(atMs / policy.bucketMs) * policy.bucketMs;

/** The window's totals: buckets within windowMs of now, and not older than the state. */
export function windowTotals(
  buckets: readonly Bucket[],
  state: BreakerState,
  nowMs: number,
  policy: BreakerPolicy,
) {
  const from = Math.max(nowMs - policy.windowMs, bucketStart(state.sinceMs, policy));
  const totals = { requests: 0, errors: 0, slow: 0 };
  for (const bucket of buckets) {
    if (bucket.startMs < from || bucket.startMs > nowMs) continue;
    totals.requests += bucket.requests;
    totals.errors += bucket.errors;
    totals.slow += bucket.slow;
  }
  return totals;
}

/** Adds a sample to its bucket (for in-memory windows; DynamoDB adds atomically). */
export function addSample(buckets: Bucket[], sample: Sample, atMs: number, policy: BreakerPolicy): void {
  const startMs = bucketStart(atMs, policy);
  let bucket = buckets.find((b) => b.startMs === startMs);
  if (!bucket) {
    bucket = { startMs, requests: 0, errors: 0, slow: 0 };
    buckets.push(bucket);
    // Keep only what a window can still read.
    const oldest = startMs - policy.windowMs;
    for (let i = buckets.length - 1; i >= 0; i--)
      if ((buckets[i]?.startMs ?? 0) < oldest) buckets.splice(i, 1);
  }
  bucket.requests += 1;
  if (sample.fault) bucket.errors += 1;
  if (sample.latencyMs >= policy.slowCallMs) bucket.slow += 1;
}

/** Would a call be let through now (without claiming a probe)? */
export function isAvailable(state: BreakerState, nowMs: number, policy: BreakerPolicy): boolean {
  if (state.status === "closed") return true;
  if (state.status === "open") return nowMs - state.sinceMs >= policy.openMs;
  return state.probes < policy.halfOpenProbes;
}

/** Lets a call through or not; in half-open each admission is a probe and counted. */
export function admit(
  state: BreakerState,
  nowMs: number,
  policy: BreakerPolicy,
): { allowed: boolean; probe: boolean; next: BreakerState } {
  if (state.status === "closed") return { allowed: true, probe: false, next: state };
  if (state.status === "open") {
    if (nowMs - state.sinceMs < policy.openMs) return { allowed: false, probe: false, next: state };
    return {
      allowed: true,
      probe: true,
      next: { status: "half_open", sinceMs: nowMs, probes: 1, probeSuccesses: 0 },
    };
  }
  if (state.probes >= policy.halfOpenProbes) return { allowed: false, probe: false, next: state };
  return { allowed: true, probe: true, next: { ...state, probes: state.probes + 1 } };
}

/** The state after a call's result; `totals` is the window including this sample. */
export function afterResult(
  state: BreakerState,
  sample: Sample,
  totals: { requests: number; errors: number; slow: number },
  nowMs: number,
  policy: BreakerPolicy,
): BreakerState {
  const bad = sample.fault || sample.latencyMs >= policy.slowCallMs;
  if (state.status === "half_open") {
    if (bad) return { status: "open", sinceMs: nowMs, probes: 0, probeSuccesses: 0 };
    const probeSuccesses = state.probeSuccesses + 1;
    return probeSuccesses >= policy.halfOpenProbes
      ? { status: "closed", sinceMs: nowMs, probes: 0, probeSuccesses: 0 }
      : { ...state, probeSuccesses };
  }
  if (state.status === "open" || totals.requests < policy.minRequests) return state;
  const tripped =
    totals.errors * 10_000 >= policy.errorRateBps * totals.requests ||
    totals.slow * 10_000 >= policy.slowRateBps * totals.requests;
  return tripped ? { status: "open", sinceMs: nowMs, probes: 0, probeSuccesses: 0 } : state;
}
