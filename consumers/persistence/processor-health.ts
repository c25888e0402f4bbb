// Processor health shared by a stateless fleet: the pure breaker (core/routing/breaker)
// over a small store port, so every execution instance sees the same window and state.
// Transitions are compare-and-set on a version: two instances that race to open a breaker
// or claim the last half-open probe cannot both win.
import {
  admit,
  afterResult,
  type BreakerPolicy,
  type BreakerState,
  type Bucket,
  bucketStart,
  CLOSED,
  isAvailable,
  type Sample,
  windowTotals,
} from "../../core/routing";

export type StoredBreaker = BreakerState & { version: number };

export interface ProcessorHealthStore {
  /** The breaker alone (version 0 and closed when never written): enough to tell availability. */
  readBreaker(processor: string): Promise<StoredBreaker>;
  /** The breaker (version 0 and closed when never written) and the buckets from `fromMs` on. */
  read(processor: string, fromMs: number): Promise<{ breaker: StoredBreaker; buckets: Bucket[] }>;
  /** Adds one sample to a bucket atomically; the bucket expires at `expiresAtSeconds`. */
  addSample(
    processor: string,
    bucketStartMs: number,
    sample: { fault: boolean; slow: boolean },
    expiresAtSeconds: number,
  ): Promise<void>;
  /** Writes `next` if the breaker is still at `version`; false when another instance changed it first. */
  replaceBreaker(processor: string, version: number, next: BreakerState): Promise<boolean>;
}

/** How often a lost compare-and-set is recomputed on fresh state before giving up. */
const RACE_RETRIES = 3;

const same = (a: BreakerState, b: BreakerState) =>
  a.status === b.status &&
  a.sinceMs === b.sinceMs &&
  a.probes === b.probes &&
  a.probeSuccesses === b.probeSuccesses;

export function sharedProcessorHealth(
  store: ProcessorHealthStore,
  policy: BreakerPolicy,
  now: () => number = Date.now,
) {
  // This instance's last view of each breaker, and when it was taken.
  const views = new Map<string, { breaker: BreakerState; at: number }>();
  const remember = (processor: string, breaker: BreakerState) => views.set(processor, { breaker, at: now() });
  /** The remembered breaker if it is closed and recent enough to trust without a read. */
  const trustedClosed = (processor: string) => {
    const view = views.get(processor);
    return view && view.breaker.status === "closed" && now() - view.at < policy.viewMs;
  };
  const read = async (processor: string, at: number) => {
    const found = await store.read(processor, at - policy.windowMs);
    remember(processor, found.breaker);
    return found;
  };

  /**
   * Applies `step` to the current breaker until its compare-and-set wins (or nothing
   * changes); `lost` answers when every race was lost to other instances.
   */
  async function transition<T>(
    processor: string,
    step: (breaker: StoredBreaker, buckets: Bucket[], at: number) => { next: BreakerState; result: T },
    lost: () => Promise<T>,
  ): Promise<T> {
    for (let i = 0; i < RACE_RETRIES; i++) {
      const at = now();
      const { breaker, buckets } = await read(processor, at);
      const { next, result } = step(breaker, buckets, at);
      if (same(next, breaker) || (await store.replaceBreaker(processor, breaker.version, next))) {
        remember(processor, next);
        return result;
      }
    }
    return lost();
  }

  return {
    /** Processors whose circuit would let a call through now (for the failover decision). */
    async available(processors: readonly string[]): Promise<Set<string>> {
      const at = now();
      const seen = await Promise.all(
        processors.map(async (p) => {
          if (trustedClosed(p)) return [p, views.get(p)?.breaker ?? CLOSED] as const;
          const breaker = await store.readBreaker(p);
          remember(p, breaker);
          return [p, breaker] as const;
        }),
      );
      return new Set(seen.filter(([, breaker]) => isAvailable(breaker, at, policy)).map(([p]) => p));
    },
    /** Admits a call; in half-open it claims one of the probes, so the fleet sends no more than allowed. */
    async claim(processor: string): Promise<boolean> {
      // A closed breaker admits every call: no read while this instance's view is fresh.
      if (trustedClosed(processor)) return true;
      return transition(
        processor,
        (breaker, _buckets, at) => {
          const gate = admit(breaker, at, policy);
          return { next: gate.next, result: gate.allowed };
        },
        async () => false,
      );
    },
    /** Records a call's result and moves the breaker accordingly; returns its state after. */
    async report(processor: string, sample: Sample): Promise<BreakerState> {
      const at = now();
      await store.addSample(
        processor,
        bucketStart(at, policy),
        { fault: sample.fault, slow: sample.latencyMs >= policy.slowCallMs },
        Math.ceil((at + 2 * policy.windowMs) / 1000),
      );
      // A fast success cannot open a closed breaker: nothing to decide.
      const view = views.get(processor);
      if (!sample.fault && sample.latencyMs < policy.slowCallMs && view && trustedClosed(processor))
        return view.breaker;
      return transition(
        processor,
        (breaker, buckets, when) => {
          const next = afterResult(
            breaker,
            sample,
            windowTotals(buckets, breaker, when, policy),
            when,
            policy,
          );
          return { next, result: next };
        },
        // Others moved the breaker meanwhile: their transition stands, this sample is in the window.
        async () => (await read(processor, now())).breaker,
      );
    },
  };
}

export type SharedProcessorHealth = ReturnType<typeof sharedProcessorHealth>;
