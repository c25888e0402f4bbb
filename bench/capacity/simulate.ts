// Discrete-event simulation of the capacity model (model.ts): payments arrive per tenant,
// pass initiation (a fixed delay: a synchronous Lambda, not partitioned), then each
// consumer stage, where every partition is one server taking batches by the ESM's rule
// (batch size or window since the oldest waiting record, whichever comes first). A stage
// that waits for several (status's settled mapping: settlement and status's executed one)
// takes a payment when the last of them is done with it.
import FlatQueue from "flatqueue";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { type Chain, inputsOf, serviceMs } from "./model";

export type TenantLoad = { id: string; rate: number };

export type SimulationInput = {
  chain: Chain;
  partitions: number;
  tenants: TenantLoad[];
  /** The partition a payment's records go to (the same on every topic: one layout). */
  route: (tenantId: string, paymentId: string) => number;
  /** Payments arrive during [0, arrivalMs); the run goes on until every one completes. */
  arrivalMs: number;
  /** Latency counts payments arriving in [warmupMs, arrivalMs). */
  warmupMs: number;
  seed: number;
  /** Poisson arrivals per tenant (default), or evenly spaced ones (for closed-form tests). */
  arrivals?: "poisson" | "regular";
};

export type SimulationResult = {
  arrived: number;
  /** How many times each payment completed the last stage, by arrival index. */
  completions: Uint8Array;
  /** Payments/s through the last stage, in all and per tenant (see measureThroughput). */
  throughput: number;
  perTenant: Map<string, number>;
  p50Ms: number;
  p99Ms: number;
  /** Payments still in the chain when arrivals stop (over capacity: grows with the run). */
  inFlightAtEnd: number;
  /** Simulated time at which the last payment completed. */
  endMs: number;
};

type Payment = { index: number; tenant: number; partition: number; arrivedAt: number };
type Queue = { items: Payment[]; head: number; oldestAt: number[] };
type Server = { queue: Queue; busy: boolean; timerAt: number };
type Event =
  | { kind: "arrive"; payment: Payment }
  | { kind: "done"; stage: number; partition: number; batch: Payment[] }
  | { kind: "window"; stage: number; partition: number };

type Completion = { at: number; tenant: number; partition: number };

const waiting = (queue: Queue) => queue.items.length - queue.head;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Arrival times of every tenant merged in time order, with the tenant of each. */
function arrivalSchedule(input: SimulationInput): { at: number; tenant: number }[] {
  const rng = xoroshiro128plus(input.seed);
  const schedule: { at: number; tenant: number }[] = [];
  input.tenants.forEach((tenant, t) => {
    const gapMs = 1000 / tenant.rate;
    let at = input.arrivals === "regular" ? 0 : -Math.log(1 - uniformFloat64(rng)) * gapMs;
    while (at < input.arrivalMs) {
      schedule.push({ at, tenant: t });
      at += input.arrivals === "regular" ? gapMs : -Math.log(1 - uniformFloat64(rng)) * gapMs;
    }
  });
  return schedule.sort((a, b) => a.at - b.at || a.tenant - b.tenant);
}

/**
 * Payments/s per partition, measured on its own: one that kept up (fewer than half its
 * payments still in the chain when arrivals stopped) over arrivalMs − warmupMs from warmupMs
 * after the first completion; one that did not, by its drain rate (n completions over the
 * n − 1 intervals they span).
 */
function measureThroughput(
  input: SimulationInput,
  done: Completion[],
  arrivedOn: number[],
  behindAtEnd: number[],
): { throughput: number; perTenant: Map<string, number> } {
  const windowMs = input.arrivalMs - input.warmupMs;
  const from = (done[0]?.at ?? 0) + input.warmupMs;
  const keptUp = arrivedOn.map((arrived, p) => behindAtEnd[p] * 2 < arrived);
  const spans = arrivedOn.map(() => ({ count: 0, first: Infinity, last: 0 }));
  for (const { at, partition } of done) {
    const span = spans[partition];
    span.count++;
    span.first = Math.min(span.first, at);
    span.last = at;
  }
  const weight = spans.map((span, p) => {
    if (keptUp[p]) return 1000 / windowMs;
    return span.last > span.first ? ((span.count - 1) * 1000) / span.count / (span.last - span.first) : 0;
  });
  const perTenant = new Array<number>(input.tenants.length).fill(0);
  let throughput = 0;
  for (const { at, tenant, partition } of done) {
    if (keptUp[partition] && (at < from || at >= from + windowMs)) continue;
    throughput += weight[partition];
    perTenant[tenant] += weight[partition];
  }
  return { throughput, perTenant: new Map(input.tenants.map((tenant, t) => [tenant.id, perTenant[t]])) };
}

export function simulate(input: SimulationInput): SimulationResult {
  const { chain, partitions } = input;
  const schedule = arrivalSchedule(input);
  const events = new FlatQueue<Event>();
  const servers: Server[][] = chain.stages.map(() =>
    Array.from({ length: partitions }, () => ({
      queue: { items: [], head: 0, oldestAt: [] },
      busy: false,
      timerAt: Number.NaN,
    })),
  );
  const completions = new Uint8Array(schedule.length);
  const latencies: number[] = [];
  const done: Completion[] = [];
  const arrivedOn = new Array<number>(partitions).fill(0);
  const last = chain.stages.length - 1;
  const inputs = chain.stages.map((_, stage) => inputsOf(chain, stage));
  const roots = inputs.flatMap((from, stage) => (from.length === 0 ? [stage] : []));
  const dependents = chain.stages.map((_, stage) =>
    inputs.flatMap((from, next) => (from.includes(stage) ? [next] : [])),
  );
  /** Per stage, how many of its inputs are done with each payment (by arrival index). */
  const inputsDone = inputs.map((from) => (from.length > 1 ? new Uint8Array(schedule.length) : null));

  schedule.forEach(({ at, tenant }, index) => {
    const partition = input.route(input.tenants[tenant].id, `pay-${index}`);
    if (partition < 0 || partition >= partitions) throw new Error(`route gave partition ${partition}`);
    arrivedOn[partition]++;
    // Initiation is a fixed delay, so the order of arrivals is kept.
    events.push(
      { kind: "arrive", payment: { index, tenant, partition, arrivedAt: at } },
      at + chain.initiationMs,
    );
  });

  const behindAtEnd = [...arrivedOn];

  const start = (stage: number, partition: number, now: number) => {
    const server = servers[stage][partition];
    const { queue } = server;
    const size = Math.min(chain.stages[stage].batchSize, waiting(queue));
    const batch = queue.items.slice(queue.head, queue.head + size);
    queue.head += size;
    if (queue.head > 4096 && queue.head * 2 > queue.items.length) {
      queue.items = queue.items.slice(queue.head);
      queue.oldestAt = queue.oldestAt.slice(queue.head);
      queue.head = 0;
    }
    server.busy = true;
    const tenants = new Set(batch.map((payment) => payment.tenant)).size;
    events.push(
      { kind: "done", stage, partition, batch },
      now + serviceMs(chain.stages[stage], size, tenants),
    );
  };

  /** Start a batch if the ESM would now; otherwise make sure the window's end is scheduled. */
  const poll = (stage: number, partition: number, now: number) => {
    const server = servers[stage][partition];
    const { queue } = server;
    if (server.busy || waiting(queue) === 0) return;
    const { batchSize, windowMs } = chain.stages[stage];
    const windowEnds = queue.oldestAt[queue.head] + windowMs;
    if (waiting(queue) >= batchSize || windowEnds <= now) {
      start(stage, partition, now);
    } else if (server.timerAt !== windowEnds) {
      server.timerAt = windowEnds;
      events.push({ kind: "window", stage, partition }, windowEnds);
    }
  };

  const enqueue = (stage: number, payment: Payment, now: number) => {
    const { queue } = servers[stage][payment.partition];
    queue.items.push(payment);
    queue.oldestAt.push(now);
  };

  while (events.length > 0) {
    const now = events.peekValue() as number;
    const event = events.pop() as Event;
    if (event.kind === "arrive") {
      for (const stage of roots) {
        enqueue(stage, event.payment, now);
        poll(stage, event.payment.partition, now);
      }
      continue;
    }
    if (event.kind === "window") {
      poll(event.stage, event.partition, now);
      continue;
    }
    servers[event.stage][event.partition].busy = false;
    const next = dependents[event.stage];
    for (const payment of event.batch) {
      for (const stage of next) {
        const counts = inputsDone[stage];
        if (counts && ++counts[payment.index] < inputs[stage].length) continue;
        enqueue(stage, payment, now);
      }
      if (event.stage !== last) continue;
      completions[payment.index]++;
      if (now < input.arrivalMs) behindAtEnd[payment.partition]--;
      if (payment.arrivedAt >= input.warmupMs && payment.arrivedAt < input.arrivalMs)
        latencies.push(now - payment.arrivedAt);
      done.push({ at: now, tenant: payment.tenant, partition: payment.partition });
    }
    for (const stage of next) poll(stage, event.partition, now);
    poll(event.stage, event.partition, now);
  }

  const { throughput, perTenant } = measureThroughput(input, done, arrivedOn, behindAtEnd);
  const sorted = Float64Array.from(latencies).sort();
  return {
    arrived: schedule.length,
    completions,
    throughput,
    perTenant,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    inFlightAtEnd: behindAtEnd.reduce((sum, behind) => sum + behind, 0),
    endMs: done.at(-1)?.at ?? 0,
  };
}
