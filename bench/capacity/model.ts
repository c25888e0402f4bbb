// The capacity model of the AWS deployment (docs/capacity.md): each stage is a Lambda fed by
// an MSK event source mapping that runs at most one invocation per partition at a time, so
// a partition is a single server that takes batches. This module holds the parameters and
// the closed forms; simulate.ts runs the same model event by event to check them.
import type { ConsumerConfig, PipelineConfig } from "../../core/config";

/** The figures a Lambda's time is made of, in milliseconds. */
export type CostParameters = {
  /** ESM poll → warm invoke → return, per batch (assumed, not measured). */
  invokeOverheadMs: number;
  /** Handler CPU per record outside DynamoDB calls (measured locally, see docs/capacity.md). */
  recordCpuMs: number;
  /** SDK client CPU per DynamoDB call (measured locally: middleware, SigV4, serde). */
  callCpuMs: number;
  /** Round trip of one DynamoDB call on AWS. */
  callLatencyMs: number;
};

/** DynamoDB calls a stage makes: per record of the batch, and once per batch (batched reads). */
export type StageCalls = { perRecord: number; perBatch: number };

export type CallProfile = {
  name: string;
  initiation: number;
  risk: StageCalls;
  execution: StageCalls;
  settlement: StageCalls;
  status: StageCalls;
};

/** A partition-consumed stage: batch size and window from config/pipeline.yaml. */
export type Stage = {
  name: string;
  batchSize: number;
  windowMs: number;
  /** Lambda duration of a batch of n records: overheadMs + n × recordMs. */
  overheadMs: number;
  recordMs: number;
};

/** The whole chain: initiation (a synchronous Lambda, not partitioned) then the consumers. */
export type Chain = { initiationMs: number; stages: Stage[] };

/**
 * Calls per payment by stage. Today's split is docs/pipeline-events.md's count (initiation 5,
 * risk 2, status 7, batched row reads); the target is issue #12's "at most 6 in all".
 */
export const CALL_PROFILES: Record<"today" | "target", CallProfile> = {
  today: {
    name: "today (14/payment)",
    initiation: 5,
    risk: { perRecord: 2, perBatch: 0 },
    execution: { perRecord: 0, perBatch: 1 },
    settlement: { perRecord: 0, perBatch: 1 },
    status: { perRecord: 7, perBatch: 1 },
  },
  target: {
    name: "target (6/payment)",
    initiation: 2,
    risk: { perRecord: 1, perBatch: 0 },
    execution: { perRecord: 1, perBatch: 0 },
    settlement: { perRecord: 1, perBatch: 0 },
    status: { perRecord: 1, perBatch: 0 },
  },
};

/** Per-record calls of a profile (what "calls per payment" counts; per-batch reads are amortised). */
export function callsPerPayment(profile: CallProfile): number {
  const { initiation, risk, execution, settlement, status } = profile;
  return initiation + risk.perRecord + execution.perRecord + settlement.perRecord + status.perRecord;
}

const STAGE_CONSUMERS = ["risk", "execution", "settlement", "status"] as const;

function consumer(pipeline: PipelineConfig, name: string): ConsumerConfig {
  const found = pipeline.consumers.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`config/pipeline.yaml has no consumer ${name}`);
  return found;
}

/**
 * The chain for a call profile. Status consumes all four topics on four mappings; here all
 * its calls are charged to the payments.settled one, the only one on the way to SETTLED
 * (conservative: on AWS the other three run beside the chain).
 */
export function buildChain(pipeline: PipelineConfig, profile: CallProfile, cost: CostParameters): Chain {
  const callMs = cost.callCpuMs + cost.callLatencyMs;
  return {
    initiationMs: cost.invokeOverheadMs + cost.recordCpuMs + profile.initiation * callMs,
    stages: STAGE_CONSUMERS.map((name) => {
      const config = consumer(pipeline, name);
      const calls = profile[name];
      return {
        name,
        batchSize: config.batchSize,
        windowMs: config.batchWindowMs,
        overheadMs: cost.invokeOverheadMs + calls.perBatch * callMs,
        recordMs: cost.recordCpuMs + calls.perRecord * callMs,
      };
    }),
  };
}

export const serviceMs = (stage: Stage, records: number) => stage.overheadMs + records * stage.recordMs;

/** Records/s one partition of a stage sustains: full batches back to back. */
export function stageCapacity(stage: Stage): number {
  return (stage.batchSize * 1000) / serviceMs(stage, stage.batchSize);
}

/** Payments/s one partition sustains through the whole chain: its slowest stage. */
export function partitionCapacity(chain: Chain): number {
  return Math.min(...chain.stages.map(stageCapacity));
}

/**
 * Steady batch cycle of one stage on one partition fed at `rate` records/s (stable only):
 * a batch goes when the window since its oldest record ends, or it is full, or — when the
 * Lambda is slower than that — as soon as the previous batch returns (T = S(λT)).
 */
export function stageCycleMs(stage: Stage, rate: number): number {
  const perMs = rate / 1000;
  const gather = Math.min(stage.windowMs, stage.batchSize / perMs);
  const busy = stage.overheadMs / (1 - perMs * stage.recordMs);
  return Math.max(gather, busy, 0);
}

export type LatencyEstimate = { p50Ms: number; p99Ms: number };

/**
 * End-to-end latency at `rate` payments/s per partition, closed form. Per stage: the batch
 * wait (Poisson arrivals wait a mean W(1 + λW/2)/(1 + λW) at the first stage; downstream a
 * whole batch arrives at once and waits the full cycle), the Lambda's duration, and a
 * queueing term for random arrivals, M/D/1's ρs/(2(1 − ρ)) with s the per-record time. p99:
 * every stage waits its full cycle and the queueing term is scaled by ln 100 (an exponential
 * tail). Infinite when the partition is over capacity.
 */
export function latencyEstimate(chain: Chain, rate: number): LatencyEstimate {
  if (rate >= partitionCapacity(chain)) return { p50Ms: Infinity, p99Ms: Infinity };
  let p50Ms = chain.initiationMs;
  let p99Ms = chain.initiationMs;
  chain.stages.forEach((stage, i) => {
    const cycle = stageCycleMs(stage, rate);
    const inWindow = (rate / 1000) * cycle;
    const duration = serviceMs(stage, Math.max(1, inWindow));
    const firstWait = (cycle * (1 + inWindow / 2)) / (1 + inWindow);
    const load = (rate / 1000) * stage.recordMs;
    const queueing = (load * stage.recordMs) / (2 * (1 - load));
    p50Ms += (i === 0 ? firstWait : cycle) + duration + queueing;
    p99Ms += cycle + duration + queueing * Math.log(100);
  });
  return { p50Ms, p99Ms };
}

/** Payments/s each partition delivers when offered `offered[p]`: the lesser of load and capacity. */
export function deliveredPerPartition(chain: Chain, offered: number[]): number[] {
  const capacity = partitionCapacity(chain);
  return offered.map((rate) => Math.min(rate, capacity));
}
