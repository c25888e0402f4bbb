import { describe, expect, it } from "vitest";
import {
  batchedReads,
  buildChain,
  CALL_PROFILES,
  type Chain,
  callsPerPayment,
  latencyEstimate,
  partitionCapacity,
  stageCapacity,
  stageCycleMs,
} from "../../../bench/capacity/model";
import { router } from "../../../bench/capacity/routing";
import { simulate, type TenantLoad } from "../../../bench/capacity/simulate";
import { loadPipeline, type Ordering, type PipelineConfig } from "../../../core/config";

const pipeline: PipelineConfig = {
  partitions: [{ paymentType: "CARD", first: 0, count: 1 }],
  topics: [],
  consumers: [],
};
const routeFor = (partitions: number, ordering: Ordering) => router(pipeline, "CARD", partitions, ordering);

/** One server, one record per batch, no window: a D/D/1 queue with service `serviceMs`. */
const singleServer = (serviceMs: number): Chain => ({
  initiationMs: 0,
  stages: [{ name: "only", batchSize: 1, windowMs: 0, overheadMs: 0, recordMs: serviceMs }],
});

/** One partition, arrivals at fixed intervals, seed 1: the runs whose figures are exact. */
const regular = (
  chain: Chain,
  tenants: { id: string; rate: number }[],
  arrivalMs: number,
  warmupMs: number,
) =>
  simulate({
    chain,
    partitions: 1,
    tenants,
    route: () => 0,
    arrivalMs,
    warmupMs,
    seed: 1,
    arrivals: "regular",
  });

describe("capacity simulator", () => {
  it("completes every payment exactly once, under and over capacity", () => {
    const chain: Chain = {
      initiationMs: 12,
      stages: [
        { name: "a", batchSize: 20, windowMs: 30, overheadMs: 5, recordMs: 2 },
        { name: "b", batchSize: 5, windowMs: 10, overheadMs: 3, recordMs: 6 },
        { name: "c", batchSize: 50, windowMs: 100, overheadMs: 8, recordMs: 1 },
      ],
    };
    const tenants: TenantLoad[] = Array.from({ length: 30 }, (_, i) => ({ id: `t${i}`, rate: 5 + i }));
    for (const ordering of ["tenant", "payment"] as const) {
      for (const partitions of [1, 7]) {
        const result = simulate({
          chain,
          partitions,
          tenants,
          route: routeFor(partitions, ordering),
          arrivalMs: 3000,
          warmupMs: 500,
          seed: 7,
        });
        expect(result.arrived).toBeGreaterThan(1000);
        expect(result.completions.length).toBe(result.arrived);
        expect(result.completions.every((count) => count === 1)).toBe(true);
      }
    }
  });

  it("is deterministic for a seed", () => {
    const input = {
      chain: singleServer(3),
      partitions: 4,
      tenants: [{ id: "acme", rate: 900 }],
      route: routeFor(4, "payment"),
      arrivalMs: 2000,
      warmupMs: 200,
    };
    const first = simulate({ ...input, seed: 42 });
    expect(simulate({ ...input, seed: 42 })).toEqual(first);
    expect(simulate({ ...input, seed: 43 }).arrived).not.toBe(first.arrived);
  });

  it("matches a single deterministic server's closed form below capacity", () => {
    // Arrivals every 10 ms, service 4 ms: no one waits, latency = service, throughput = arrivals.
    const result = regular(singleServer(4), [{ id: "acme", rate: 100 }], 2000, 500);
    expect(result.arrived).toBe(200);
    expect(result.p50Ms).toBeCloseTo(4, 9);
    expect(result.p99Ms).toBeCloseTo(4, 9);
    expect(result.throughput).toBeCloseTo(100, 6);
  });

  it("matches a single deterministic server's closed form over capacity", () => {
    // Arrivals every 2 ms, service 4 ms: departures every 4 ms (the model's capacity), and
    // payment k waits k·(4 − 2) ms before its 4 ms of service.
    const chain = singleServer(4);
    const result = regular(chain, [{ id: "acme", rate: 500 }], 1000, 0);
    const n = result.arrived;
    expect(n).toBe(500);
    expect(stageCapacity(chain.stages[0])).toBe(250);
    expect(result.throughput).toBeCloseTo(250, 6);
    expect(result.endMs).toBeCloseTo(n * 4, 6);
    const latencyOf = (k: number) => k * 2 + 4;
    expect(result.p99Ms).toBeCloseTo(latencyOf(Math.floor(0.99 * n)), 6);
    expect(result.p50Ms).toBeCloseTo(latencyOf(Math.floor(0.5 * n)), 6);
  });

  it("caps one tenant at one partition with ordering=tenant; ordering=payment scales with partitions", () => {
    const chain: Chain = {
      initiationMs: 0,
      stages: [{ name: "only", batchSize: 10, windowMs: 10, overheadMs: 5, recordMs: 1 }],
    };
    const perPartition = stageCapacity(chain.stages[0]); // 10 records per 15 ms
    const big = [{ id: "big-tenant", rate: 5000 }];
    const run = (partitions: number, ordering: Ordering) =>
      simulate({
        chain,
        partitions,
        tenants: big,
        route: routeFor(partitions, ordering),
        arrivalMs: 2000,
        warmupMs: 500,
        seed: 3,
      }).throughput;

    for (const partitions of [2, 4]) {
      expect(run(partitions, "tenant") / perPartition).toBeCloseTo(1, 1);
      expect(run(partitions, "payment") / (partitions * perPartition)).toBeCloseTo(1, 1);
    }
    expect(run(4, "payment") / run(2, "payment")).toBeCloseTo(2, 1);
  });

  it("starts a batch as soon as the Lambda is free when the window is 0", () => {
    // Arrivals every 10 ms, 2 ms overhead + 1 ms a record: each record alone, at once.
    const idle: Chain = {
      initiationMs: 0,
      stages: [{ name: "only", batchSize: 100, windowMs: 0, overheadMs: 2, recordMs: 1 }],
    };
    const alone = regular(idle, [{ id: "acme", rate: 100 }], 2000, 500);
    expect(alone.p99Ms).toBeCloseTo(3, 9);
    // The closed form waits only while the Lambda is busy (30% of the time here), not a cycle.
    const idleEstimate = latencyEstimate(idle, 100).p50Ms;
    expect(idleEstimate).toBeGreaterThanOrEqual(3);
    expect(idleEstimate).toBeLessThan(4);

    // Arrivals every 2 ms, 10 ms overhead + 1 ms a record: slower than the arrivals one by
    // one, but batching keeps up. T = S(λT) gives T = 10 / (1 − 0.5) = 20 ms, 10 records a
    // batch; a record waits for the running batch, then rides the next: 20-40 ms in all.
    const busy: Chain = {
      initiationMs: 0,
      stages: [{ name: "only", batchSize: 100, windowMs: 0, overheadMs: 10, recordMs: 1 }],
    };
    expect(stageCycleMs(busy.stages[0], 500)).toBeCloseTo(20, 9);
    const batched = regular(busy, [{ id: "acme", rate: 500 }], 4000, 1000);
    expect(batched.completions.every((count) => count === 1)).toBe(true);
    expect(batched.throughput).toBeCloseTo(500, 6);
    expect(batched.p50Ms).toBeGreaterThanOrEqual(20);
    expect(batched.p99Ms).toBeLessThanOrEqual(40);
    // Always busy: a record waits half a cycle on average, then rides a whole one.
    expect(latencyEstimate(busy, 500).p50Ms / batched.p50Ms).toBeCloseTo(1, 1);
  });

  it("takes a payment into a joining stage when the last of its inputs is done with it", () => {
    // a → (b, c side by side) → d, one record at a time, no waiting: latency is a + the
    // slower branch + d.
    const chain: Chain = {
      initiationMs: 4,
      stages: [
        { name: "a", batchSize: 1, windowMs: 0, overheadMs: 0, recordMs: 1 },
        { name: "b", batchSize: 1, windowMs: 0, overheadMs: 0, recordMs: 5, after: [0] },
        { name: "c", batchSize: 1, windowMs: 0, overheadMs: 0, recordMs: 2, after: [0] },
        { name: "d", batchSize: 1, windowMs: 0, overheadMs: 0, recordMs: 1, after: [1, 2] },
      ],
    };
    const result = regular(chain, [{ id: "acme", rate: 100 }], 2000, 0);
    expect(result.completions.every((count) => count === 1)).toBe(true);
    expect(result.p50Ms).toBeCloseTo(4 + 1 + 5 + 1, 9);
    expect(result.p99Ms).toBeCloseTo(4 + 1 + 5 + 1, 9);
    expect(partitionCapacity(chain)).toBe(200);
  });
});

const configured = await loadPipeline("config");

describe("batched reads per tenant", () => {
  it("charges a batch one read per tenant in it, in the simulation and the closed form", () => {
    // Over capacity, full batches of 10 back to back: 5 ms + 10 ms per tenant + 1 ms a record.
    const chain: Chain = {
      initiationMs: 0,
      stages: [{ name: "only", batchSize: 10, windowMs: 0, overheadMs: 5, tenantMs: 10, recordMs: 1 }],
    };
    const drain = (tenants: TenantLoad[]) => regular(chain, tenants, 1000, 0).throughput;
    expect(drain([{ id: "acme", rate: 5000 }])).toBeCloseTo(400, 0); // 10 per 25 ms (the first batch goes alone)
    const two = drain([
      { id: "acme", rate: 2500 },
      { id: "globex", rate: 2500 },
    ]);
    expect(two).toBeCloseTo(10_000 / 35, 0); // both in every batch: 10 per 35 ms
    expect(stageCapacity(chain.stages[0], 1)).toBeCloseTo(400, 9);
    expect(stageCapacity(chain.stages[0], 2) / two).toBeCloseTo(1, 2);
  });
});

describe("capacity model on config/pipeline.yaml", () => {
  const cost = { invokeOverheadMs: 10, recordCpuMs: 3, callCpuMs: 0.7, callLatencyMs: 5, s3PutLatencyMs: 30 };

  it("counts the calls of each profile as the call-count test pins them (now) and as they were", () => {
    // test/integration/pipeline/call-count.test.ts: 6 on a warm payment's path, one of them
    // execution's BatchGetItem.
    expect(callsPerPayment(CALL_PROFILES.now) + batchedReads(CALL_PROFILES.now)).toBe(6);
    expect(batchedReads(CALL_PROFILES.now)).toBe(1);
    expect(callsPerPayment(CALL_PROFILES.before)).toBe(14);
  });

  it("reads the 0 ms windows of the payment's path and gives finite latency below capacity", () => {
    const chain = buildChain(configured, CALL_PROFILES.now, cost);
    expect(chain.stages.map((stage) => stage.windowMs)).toEqual([0, 0, 0, 0, 0]);
    const capacity = partitionCapacity(chain);
    for (const share of [0.01, 0.5, 0.9]) {
      const { p50Ms, p99Ms } = latencyEstimate(chain, share * capacity);
      expect(Number.isFinite(p50Ms)).toBe(true);
      expect(p99Ms).toBeGreaterThanOrEqual(p50Ms);
    }
    expect(latencyEstimate(chain, capacity).p50Ms).toBe(Infinity);
  });
});
