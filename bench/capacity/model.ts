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
  /** SDK client CPU per DynamoDB or S3 call (measured locally: middleware, SigV4, serde). */
  callCpuMs: number;
  /** Round trip of one DynamoDB call on AWS. */
  callLatencyMs: number;
  /** Round trip of one small S3 PutObject on AWS. */
  s3PutLatencyMs: number;
};

/**
 * The calls a stage makes: DynamoDB per record of the batch and per tenant in the batch
 * (batched reads: each tenant's tables are its own, so one BatchGetItem per tenant, one
 * after another), and S3 round trips per batch (a batch's objects are put side by side: one).
 */
export type StageCalls = { perRecord: number; perBatch: number; s3PerBatch: number };

/** The consumer mappings a payment passes on its way to SETTLED. */
export const STAGE_NAMES = [
  "risk",
  "execution",
  "settlement",
  "status (executed)",
  "status (settled)",
] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export type CallProfile = { name: string; initiation: number; stages: Record<StageName, StageCalls> };

/** A partition-consumed stage: batch size and window from config/pipeline.yaml. */
export type Stage = {
  name: string;
  batchSize: number;
  windowMs: number;
  /** Lambda duration of a batch of n records from m tenants: overheadMs + m × tenantMs + n × recordMs. */
  overheadMs: number;
  tenantMs?: number;
  recordMs: number;
  /**
   * Indices of the earlier stages whose output this one consumes; a record enters when all
   * of them are done with it. Default: the stage before (initiation for the first).
   */
  after?: number[];
};

/**
 * The whole chain: initiation (a synchronous Lambda, not partitioned) then the consumers, in
 * an order where every stage comes after the ones it waits for; a payment is done when the
 * last one is.
 */
export type Chain = { initiationMs: number; stages: Stage[] };

const dynamo = (perRecord: number, perBatch = 0): StageCalls => ({ perRecord, perBatch, s3PerBatch: 0 });

/**
 * Calls per payment by stage. "before" is the write path before issue #12's transactions
 * (docs/pipeline-events.md's count then: initiation 5, risk 2, status 7, batched row reads),
 * with its status calls all charged to the settled mapping as the model first did. "now" is
 * the count test/integration/pipeline/call-count.test.ts pins (WARM): initiation 1
 * TransactWriteItems; risk 1 TransactWriteItems; execution 1 BatchGetItem per batch and tenant
 * (rows + attempts) and 1 PutItem per record (the attempt's STARTED entry); settlement none; status
 * 1 TransactWriteItems on its payments.executed mapping (EXECUTED) and 1 on its
 * payments.settled one (SETTLED), its other two mappings none (INITIATED and RISK_APPROVED
 * are recorded by initiation and risk). In both, settlement writes one S3 object per
 * (tenant, rail, date, partition) of a batch, all side by side (consumers/settlement/handler.ts).
 */
export const CALL_PROFILES: Record<"before" | "now", CallProfile> = {
  before: {
    name: "before (14/payment)",
    initiation: 5,
    stages: {
      risk: dynamo(2),
      execution: dynamo(0, 1),
      settlement: { perRecord: 0, perBatch: 0, s3PerBatch: 1 },
      "status (executed)": dynamo(0),
      "status (settled)": dynamo(7, 1),
    },
  },
  now: {
    name: "now (6/payment)",
    initiation: 1,
    stages: {
      risk: dynamo(1),
      execution: dynamo(1, 1),
      settlement: { perRecord: 0, perBatch: 0, s3PerBatch: 1 },
      "status (executed)": dynamo(1),
      "status (settled)": dynamo(1),
    },
  },
};

/** Per-record DynamoDB calls of a profile (what "calls per payment" counts; per-batch reads are amortised). */
export function callsPerPayment(profile: CallProfile): number {
  return STAGE_NAMES.reduce((sum, name) => sum + profile.stages[name].perRecord, profile.initiation);
}

/** Batched DynamoDB reads of a profile: per batch and tenant in it, summed over its stages. */
export function batchedReads(profile: CallProfile): number {
  return STAGE_NAMES.reduce((sum, name) => sum + profile.stages[name].perBatch, 0);
}

/**
 * Each stage's consumer in config/pipeline.yaml and the stages it waits for. Settlement and
 * status's executed mapping both read payments.executed, side by side; status's settled
 * mapping applies SETTLED only after EXECUTED (it waits for a missing predecessor), so it
 * waits for both.
 */
const STAGE_LAYOUT: Record<StageName, { consumer: string; after: number[] }> = {
  risk: { consumer: "risk", after: [] },
  execution: { consumer: "execution", after: [0] },
  settlement: { consumer: "settlement", after: [1] },
  "status (executed)": { consumer: "status", after: [1] },
  "status (settled)": { consumer: "status", after: [2, 3] },
};

function consumer(pipeline: PipelineConfig, name: string): ConsumerConfig {
  const found = pipeline.consumers.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`config/pipeline.yaml has no consumer ${name}`);
  return found;
}

/**
 * The chain for a call profile. Status's payments.initiated and payments.risk-assessed
 * mappings make no DynamoDB call now and gate nothing on the way to SETTLED, so they are
 * left out (each runs beside the chain at handler CPU per record).
 */
export function buildChain(pipeline: PipelineConfig, profile: CallProfile, cost: CostParameters): Chain {
  const callMs = cost.callCpuMs + cost.callLatencyMs;
  const s3Ms = cost.callCpuMs + cost.s3PutLatencyMs;
  return {
    initiationMs: cost.invokeOverheadMs + cost.recordCpuMs + profile.initiation * callMs,
    stages: STAGE_NAMES.map((name) => {
      const { consumer: consumerName, after } = STAGE_LAYOUT[name];
      const config = consumer(pipeline, consumerName);
      const calls = profile.stages[name];
      return {
        name,
        batchSize: config.batchSize,
        windowMs: config.batchWindowMs,
        overheadMs: cost.invokeOverheadMs + calls.s3PerBatch * s3Ms,
        tenantMs: calls.perBatch * callMs,
        recordMs: cost.recordCpuMs + calls.perRecord * callMs,
        after,
      };
    }),
  };
}

/** The stages a stage waits for (its `after`, or the one before it). */
export const inputsOf = (chain: Chain, index: number): number[] =>
  chain.stages[index].after ?? (index === 0 ? [] : [index - 1]);

export const serviceMs = (stage: Stage, records: number, tenants = 1) =>
  stage.overheadMs + tenants * (stage.tenantMs ?? 0) + records * stage.recordMs;

/** Expected distinct tenants among n records of a partition that k tenants share evenly. */
export function distinctTenants(records: number, tenants: number): number {
  const n = Math.max(1, records);
  return tenants <= 1 ? 1 : tenants * (1 - (1 - 1 / tenants) ** n);
}

/** Lambda duration of a batch of n records on a partition that k tenants share evenly. */
const batchMs = (stage: Stage, records: number, tenants: number) =>
  serviceMs(stage, Math.max(1, records), distinctTenants(records, tenants));

/** Records/s one partition of a stage sustains (k tenants sharing it evenly): full batches back to back. */
export function stageCapacity(stage: Stage, tenants = 1): number {
  return (stage.batchSize * 1000) / batchMs(stage, stage.batchSize, tenants);
}

/** Payments/s one partition sustains through the whole chain: its slowest stage. */
export function partitionCapacity(chain: Chain, tenants = 1): number {
  return Math.min(...chain.stages.map((stage) => stageCapacity(stage, tenants)));
}

/**
 * Steady batch cycle of one stage on one partition fed at `rate` records/s by k tenants
 * (stable only): a batch goes when the window since its oldest record ends, or it is full,
 * or — when the Lambda is slower than that — as soon as the previous batch returns
 * (T = S(λT): T = O/(1 − λc) with one tenant; with several, their reads are added and T
 * found by fixed-point iteration). With a 0 window the gathering term is 0 and only that
 * last case is left: a batch goes as soon as the Lambda is free, holding what arrived
 * while it was busy.
 */
export function stageCycleMs(stage: Stage, rate: number, tenants = 1): number {
  const perMs = rate / 1000;
  const gather = Math.min(stage.windowMs, stage.batchSize / perMs);
  const perRecord = 1 - perMs * stage.recordMs;
  let busy = stage.overheadMs / perRecord;
  for (let i = 0; i < 100; i++) {
    const reads = distinctTenants(Math.min(stage.batchSize, perMs * busy), tenants) * (stage.tenantMs ?? 0);
    busy = (stage.overheadMs + reads) / perRecord;
  }
  return Math.max(gather, busy, 0);
}

export type LatencyEstimate = { p50Ms: number; p99Ms: number };

/**
 * A record's wait for its batch to start, mean and 99th percentile. With a window, Poisson
 * arrivals wait a mean W(1 + λW/2)/(1 + λW) at the first stage; downstream a whole batch
 * arrives at once and waits the full cycle; the p99 is the full cycle. With a 0 window a
 * record waits only while the Lambda is busy (a fraction u of the time) and then for the
 * rest of the running batch, uniform over its duration S: mean uS/2, p99 S(1 − 0.01/u).
 */
function batchWait(
  stage: Stage,
  rate: number,
  tenants: number,
  first: boolean,
): { meanMs: number; p99Ms: number } {
  const cycle = stageCycleMs(stage, rate, tenants);
  const inCycle = (rate / 1000) * cycle;
  if (stage.windowMs > 0) {
    return { meanMs: first ? (cycle * (1 + inCycle / 2)) / (1 + inCycle) : cycle, p99Ms: cycle };
  }
  const duration = batchMs(stage, inCycle, tenants);
  const busy = Math.min(1, ((rate / 1000) * duration) / Math.max(1, inCycle));
  return { meanMs: (busy * duration) / 2, p99Ms: busy > 0.01 ? duration * (1 - 0.01 / busy) : 0 };
}

/**
 * End-to-end latency at `rate` payments/s per partition shared evenly by `tenants`, closed form. Per stage: the batch
 * wait (batchWait), the Lambda's duration, and a queueing term for random arrivals, M/D/1's
 * ρs/(2(1 − ρ)) with s the per-record time, scaled by ln 100 for the p99 (an exponential
 * tail). A stage starts a record when the last of the stages it waits for is done with it.
 * Infinite when the partition is over capacity.
 */
export function latencyEstimate(chain: Chain, rate: number, tenants = 1): LatencyEstimate {
  if (rate >= partitionCapacity(chain, tenants)) return { p50Ms: Infinity, p99Ms: Infinity };
  const p50Done: number[] = [];
  const p99Done: number[] = [];
  chain.stages.forEach((stage, i) => {
    const inputs = inputsOf(chain, i);
    const wait = batchWait(stage, rate, tenants, inputs.length === 0);
    const duration = batchMs(stage, (rate / 1000) * stageCycleMs(stage, rate, tenants), tenants);
    const load = (rate / 1000) * stage.recordMs;
    const queueing = (load * stage.recordMs) / (2 * (1 - load));
    const ready = (done: number[]) => Math.max(chain.initiationMs, ...inputs.map((input) => done[input]));
    p50Done.push(ready(p50Done) + wait.meanMs + duration + queueing);
    p99Done.push(ready(p99Done) + wait.p99Ms + duration + queueing * Math.log(100));
  });
  return { p50Ms: p50Done[p50Done.length - 1], p99Ms: p99Done[p99Done.length - 1] };
}

/**
 * Payments/s each partition delivers when offered `offered[p]` by `tenants[p]` tenants: the
 * lesser of load and capacity.
 */
export function deliveredPerPartition(chain: Chain, offered: number[], tenants: number[]): number[] {
  return offered.map((rate, p) => Math.min(rate, partitionCapacity(chain, tenants[p])));
}
