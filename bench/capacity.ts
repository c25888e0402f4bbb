// Capacity of the AWS deployment on paper (bench/capacity/model.ts, closed forms) checked by
// a discrete-event simulation of the same model (bench/capacity/simulate.ts): payments/s per
// tenant and in total for ordering=tenant and ordering=payment, and the partitions a peak
// needs. No network, seeded, bounded simulated time; a few seconds in all.
// Run: npx tsx bench/capacity.ts [seed]
import type { Ordering } from "../core/config";
import { loadPipeline } from "../core/config";
import type { PaymentType } from "../core/generated/graphql";
import { murmur2, toPositive } from "../core/partitioning";
import {
  batchedReads,
  buildChain,
  CALL_PROFILES,
  type CallProfile,
  type Chain,
  type CostParameters,
  callsPerPayment,
  deliveredPerPartition,
  latencyEstimate,
  partitionCapacity,
  STAGE_NAMES,
  stageCapacity,
} from "./capacity/model";
import { offeredPerPartition, router, tenantsPerPartition } from "./capacity/routing";
import { simulate, type TenantLoad } from "./capacity/simulate";

const SEED = Number(process.argv[2] ?? 12);
const PAYMENT_TYPE: PaymentType = "CARD";
/** Plan partitions so the busiest one runs at this fraction of its capacity. */
const HEADROOM = 0.7;
/** Simulated payments per run at most (arrival window sized to it, 3-16 s). */
const PAYMENTS_PER_RUN = 150_000;

// Handler CPU, measured locally (docs/pipeline-events.md, "Tests and figures", the "now" runs
// on 6 calls a payment): the stack's own code (consumers, API functions, AppSync emulator;
// the local servers apart) took 11.9-17.6 ms per settled payment over 6.76-6.96 DynamoDB
// calls. Less the SDK's client side of those calls (~0.4 ms each, the same page: "~0.4 ms
// of client CPU per simple call in isolation"), the top of that range, 17.6 − 6.96 × 0.4
// ≈ 14.8 ms, bounds the handlers' own CPU from above (it also holds the emulator and the
// authorizer) over the five Lambdas: 3.0 ms a record each (3.4 at 35 ms and 14 calls before).
// SDK CPU per call stays at 0.7 ms (client side of one call to dynalite, same page, session
// 2) rather than 0.4: the calls on the path now are transactions of 2-4 items, not simple
// ones. S3: "median latencies are often in the tens of milliseconds range" for requests
// under 512 KB (AWS, "Best Practices Design Patterns: Optimizing Amazon S3 Performance",
// Timeouts and Retries for Latency-Sensitive Applications): 30 ms assumed.
const COST: CostParameters = {
  invokeOverheadMs: 10,
  recordCpuMs: 3.0,
  callCpuMs: 0.7,
  callLatencyMs: 5,
  s3PutLatencyMs: 30,
};

const LOADS: { name: string; tenants: TenantLoad[] }[] = [
  { name: "1 tenant × 5,000/s", tenants: [{ id: "big-tenant", rate: 5000 }] },
  {
    name: "1,000 tenants × 50/s",
    tenants: Array.from({ length: 1000 }, (_, i) => ({
      id: `tenant-${String(i).padStart(4, "0")}`,
      rate: 50,
    })),
  },
];

const pipeline = await loadPipeline("config");
const configured = pipeline.partitions.find((range) => range.paymentType === PAYMENT_TYPE)?.count ?? 1;

/** Fewest partitions keeping every partition at or under HEADROOM of capacity; null if none can. */
function partitionsNeeded(chain: Chain, ordering: Ordering, tenants: TenantLoad[]): number | null {
  // A partition's capacity depends on how many tenants share it (a batched read per tenant).
  const limit = (sharing: number) => HEADROOM * partitionCapacity(chain, sharing);
  const total = tenants.reduce((sum, tenant) => sum + tenant.rate, 0);
  if (ordering === "payment") return Math.ceil(total / limit(tenants.length));
  if (tenants.some((tenant) => tenant.rate > limit(1))) return null;
  const hashes = tenants.map((tenant) => toPositive(murmur2(tenant.id)));
  const lower = Math.ceil(total / limit(1));
  for (let n = lower; n <= lower * 20; n++) {
    const offered = new Array<number>(n).fill(0);
    const sharing = new Array<number>(n).fill(0);
    tenants.forEach((tenant, i) => {
      offered[hashes[i] % n] += tenant.rate;
      sharing[hashes[i] % n]++;
    });
    if (offered.every((rate, p) => rate <= limit(sharing[p]))) return n;
  }
  return null;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString("en-US", { maximumFractionDigits: digits }) : "∞";

/** "stage n + m/batch/tenant" for each stage that makes DynamoDB calls. */
const describe = (profile: CallProfile) =>
  [
    `initiation ${profile.initiation}`,
    ...STAGE_NAMES.flatMap((name) => {
      const { perRecord, perBatch } = profile.stages[name];
      if (perRecord === 0 && perBatch === 0) return [];
      return [`${name} ${perRecord}${perBatch > 0 ? ` + ${perBatch}/batch/tenant` : ""}`];
    }),
  ].join(", ");

type Row = string[];
const rows: Row[] = [];
const started = performance.now();

for (const profile of [CALL_PROFILES.before, CALL_PROFILES.now]) {
  const chain = buildChain(pipeline, profile, COST);
  for (const load of LOADS) {
    const total = load.tenants.reduce((sum, tenant) => sum + tenant.rate, 0);
    for (const ordering of ["tenant", "payment"] as const) {
      const needed = partitionsNeeded(chain, ordering, load.tenants);
      // Where no count is enough for ordering=tenant, show it on the count payment ordering needs.
      const compared = needed ?? partitionsNeeded(chain, "payment", load.tenants);
      const counts = [configured, ...(compared !== null && compared !== configured ? [compared] : [])];
      for (const partitions of counts) {
        const route = router(pipeline, PAYMENT_TYPE, partitions, ordering);
        const offered = offeredPerPartition(route, ordering, load.tenants, partitions);
        const sharing = tenantsPerPartition(route, ordering, load.tenants, partitions);
        const delivered = deliveredPerPartition(chain, offered, sharing);
        const analyticTotal = delivered.reduce((sum, rate) => sum + rate, 0);
        const tenantShare = (tenant: TenantLoad) => {
          if (ordering === "payment") return tenant.rate * (analyticTotal / total);
          const p = route(tenant.id, "");
          return tenant.rate * (delivered[p] / offered[p]);
        };
        const analyticTenant = median(load.tenants.map(tenantShare));
        const analyticTenantMin = Math.min(...load.tenants.map(tenantShare));
        const busiest = offered.indexOf(Math.max(...offered));
        const loaded = offered.filter((rate) => rate > 0).length;
        const meanSharing = sharing.reduce((sum, count) => sum + count, 0) / loaded;
        const latency = {
          p50Ms: latencyEstimate(chain, total / loaded, meanSharing).p50Ms,
          p99Ms: latencyEstimate(chain, offered[busiest], sharing[busiest]).p99Ms,
        };

        const arrivalMs = Math.min(16_000, Math.max(3_000, (PAYMENTS_PER_RUN / total) * 1000));
        const result = simulate({
          chain,
          partitions,
          tenants: load.tenants,
          route,
          arrivalMs,
          warmupMs: arrivalMs / 4,
          seed: SEED,
        });
        const simTenant = median([...result.perTenant.values()]);
        const simTenantMin = Math.min(...result.perTenant.values());
        rows.push([
          profile.name,
          load.name,
          ordering,
          `${partitions}${partitions === needed ? " (needed)" : partitions === compared ? " (as payment)" : ""}`,
          `${fmt(simTenant, 1)} (${fmt(analyticTenant, 1)}) / ${fmt(simTenantMin, 1)} (${fmt(analyticTenantMin, 1)})`,
          `${fmt(result.throughput)} (${fmt(analyticTotal)})`,
          `${fmt(result.p50Ms)} (${fmt(latency.p50Ms)})`,
          `${fmt(result.p99Ms)} (${fmt(latency.p99Ms)})`,
          fmt(result.inFlightAtEnd),
          needed === null ? "none can" : fmt(needed),
        ]);
      }
    }
  }
}

const header = [
  "calls",
  "load",
  "ordering",
  "partitions",
  "per tenant/s median / min: sim (model)",
  "total/s: sim (model)",
  "p50 ms: sim (model)",
  "p99 ms: sim (model)",
  "in flight at end",
  `partitions needed @${HEADROOM * 100}%`,
];
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`;

const { before, now } = CALL_PROFILES;
const beforeChain = buildChain(pipeline, before, COST);
const nowChain = buildChain(pipeline, now, COST);
const slowest = (chain: Chain) =>
  chain.stages.reduce((a, b) => (stageCapacity(a) <= stageCapacity(b) ? a : b)).name;
console.log(`Assumptions (payment type ${PAYMENT_TYPE}, config/pipeline.yaml: ${configured} partitions; seed ${SEED}):
- one Lambda invocation at a time per partition per consumer (MSK event source mapping); a
  batch goes at batchSize records or batchWindowMs after its oldest record (${pipeline.consumers
    .filter((c) => ["risk", "execution", "settlement", "status"].includes(c.name))
    .map((c) => `${c.name} ${c.batchSize}/${c.batchWindowMs} ms`)
    .join(", ")})
- stages: ${nowChain.stages.map((stage) => stage.name).join(", ")}; settlement and status (executed) both read
  payments.executed side by side, status (settled) takes a payment once both are done with it
- Lambda duration = ${COST.invokeOverheadMs} ms per invocation + per record ${COST.recordCpuMs} ms handler CPU
  + per DynamoDB call (${COST.callCpuMs} ms SDK CPU + ${COST.callLatencyMs} ms round trip); calls run one after another;
  settlement + ${COST.callCpuMs} ms + ${COST.s3PutLatencyMs} ms per batch (its S3 puts, side by side)
- DynamoDB calls: ${before.name} = ${callsPerPayment(before)} a payment + ${batchedReads(before)} batched reads a batch and tenant in it (${describe(before)});
  ${now.name} = ${callsPerPayment(now)} a payment + ${batchedReads(now)} batched read a batch and tenant, 6 for a payment alone in its batches (${describe(now)})
- initiation (synchronous Lambda, scales with requests): ${fmt(beforeChain.initiationMs, 1)} ms before, ${fmt(nowChain.initiationMs, 1)} ms now
- one partition sustains ${fmt(partitionCapacity(beforeChain), 1)} payments/s before (${slowest(beforeChain)}), ${fmt(partitionCapacity(nowChain), 1)} now (${slowest(nowChain)}): slowest stage,
  full batches, one tenant on the partition; shared by 1,000 tenants: ${fmt(partitionCapacity(beforeChain, 1000), 1)} before, ${fmt(partitionCapacity(nowChain, 1000), 1)} now
- Poisson arrivals per tenant for ${fmt(PAYMENTS_PER_RUN)} payments at most (3-16 s); latency of those arriving after the first 1/4;
  payments/s = completions over 3/4 of that window once the chain is full; over capacity, each partition's drain rate;
  (model) = closed form; partitions needed = fewest keeping the busiest at ${HEADROOM * 100}% of its capacity
`);
console.log(line(header));
console.log(line(widths.map((width) => "-".repeat(width))));
for (const row of rows) console.log(line(row));
console.log(`\n${rows.length} simulations in ${fmt((performance.now() - started) / 1000, 1)} s`);
