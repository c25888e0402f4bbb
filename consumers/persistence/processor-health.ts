// Processor health shared by a stateless fleet: the pure breaker (core/routing/breaker)
// over a small store port, so every execution instance sees the same window and state.
// Transitions are compare-and-set on a version: two instances that race to open a breaker
// or claim the last half-open probe cannot both win. Samples are added up per processor in
// the instance and written with one UpdateItem (ADD) per processor per `flushMs` (flushMs
// after the first sample not written yet), and everything pending at once with a fault or
// slow call, before its transition is decided. So the
// shared window lags by at most `flushMs` of one instance's successes (lost if the instance
// dies meanwhile, which only makes the breaker quicker to open), never by a failure.
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
import type { Counts, ProcessorHealthStore, StoredBreaker } from "./ports/processor-health";

/** How often a lost compare-and-set is recomputed on fresh state before giving up. */
const RACE_RETRIES = 3;

const same = (a: BreakerState, b: BreakerState) =>
  a.status === b.status &&
  a.sinceMs === b.sinceMs &&
  a.probes === b.probes &&
  a.probeSuccesses === b.probeSuccesses;

export type HealthOptions = {
  now?: () => number;
  /** Told of a flush that failed on its timer (its samples stay pending for the next one). */
  onFlushError?: (error: unknown) => void;
};

export function sharedProcessorHealth(
  store: ProcessorHealthStore,
  policy: BreakerPolicy,
  options: HealthOptions = {},
) {
  const now = options.now ?? Date.now;
  // This instance's last view of each breaker, and when it was taken.
  const views = new Map<string, { breaker: BreakerState; at: number }>();
  const remember = (processor: string, breaker: BreakerState) => views.set(processor, { breaker, at: now() });
  /** The remembered breaker if it is closed and recent enough to trust without a read. */
  const trustedClosed = (processor: string) => {
    const view = views.get(processor);
    return view && view.breaker.status === "closed" && now() - view.at < policy.viewMs;
  };
  // Per processor: the samples not written yet, by bucket start, and the timer that writes them.
  const pending = new Map<string, Map<number, Counts>>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** Writes the processor's pending samples (one UpdateItem per bucket, usually one). */
  async function flush(processor: string): Promise<void> {
    clearTimeout(timers.get(processor));
    timers.delete(processor);
    const buckets = pending.get(processor);
    pending.delete(processor);
    if (!buckets) return;
    const entries = [...buckets];
    try {
      await Promise.all(
        entries.map(([startMs, counts]) =>
          store.addSamples(processor, startMs, counts, Math.ceil((startMs + 2 * policy.windowMs) / 1000)),
        ),
      );
    } catch (error) {
      // Kept for the next flush (ADD is not idempotent, so a bucket that did land may count twice).
      for (const [startMs, counts] of entries) add(processor, startMs, counts);
      throw error;
    }
  }

  function add(processor: string, startMs: number, counts: Counts): void {
    const buckets = pending.get(processor) ?? new Map<number, Counts>();
    const bucket = buckets.get(startMs) ?? { requests: 0, errors: 0, slow: 0 };
    bucket.requests += counts.requests;
    bucket.errors += counts.errors;
    bucket.slow += counts.slow;
    buckets.set(startMs, bucket);
    pending.set(processor, buckets);
  }

  /** Schedules the write of the processor's pending samples flushMs after the first of them. */
  function flushLater(processor: string): void {
    if (timers.has(processor)) return;
    const timer = setTimeout(() => {
      timers.delete(processor);
      flush(processor).catch((error) => options.onFlushError?.(error));
    }, policy.flushMs);
    // A pending flush does not keep a process alive (a Lambda runs it when it is thawed).
    timer.unref?.();
    timers.set(processor, timer);
  }

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
    /** Writes every processor's pending samples now (tests, a clean shutdown). */
    async flushAll(): Promise<void> {
      await Promise.all([...pending.keys()].map(flush));
    },
    /** Records a call's result and moves the breaker accordingly; returns its state after. */
    async report(processor: string, sample: Sample): Promise<BreakerState> {
      const slow = sample.latencyMs >= policy.slowCallMs;
      add(processor, bucketStart(now(), policy), {
        requests: 1,
        errors: sample.fault ? 1 : 0,
        slow: slow ? 1 : 0,
      });
      // A fast success cannot open a closed breaker: nothing to decide, it is written later.
      const view = views.get(processor);
      if (!sample.fault && !slow && view && trustedClosed(processor)) {
        flushLater(processor);
        return view.breaker;
      }
      // The transition is decided on the shared window, this instance's samples in it.
      await flush(processor);
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
