// One strategy over the synthetic traffic, through the real routing code: the planner
// (config/routing), the failover decision, the breaker state machine and the sandbox
// processors' pure decisions (config/processors.yaml personalities with the bench's
// rates). Simulated time only: latencies are drawn, never waited for.

import type { Personality } from "../../core/processors";
import { declineCode, feeFor, processorModule, sandboxDecision } from "../../core/processors";
import {
  type Attempt,
  addSample,
  admit,
  afterResult,
  type BreakerPolicy,
  type BreakerState,
  type Bucket,
  CLOSED,
  ineligibility,
  isAvailable,
  nextStep,
  planRoute,
  type RoutePlan,
  type RoutingConfig,
  windowTotals,
} from "../../core/routing";
import type { SyntheticPayment } from "./traffic";

export type Strategy = "single" | "static" | "failover" | "breaker";

export type Outage = { processor: string; fromMs: number; toMs: number };

export type SimulationOptions = {
  routing: RoutingConfig;
  tenantId: string;
  regionId: string;
  /** The one processor of the single-processor strategy. */
  single: string;
  personalities: ReadonlyMap<string, Personality>;
  breaker: BreakerPolicy;
  outage?: Outage;
  perCallTimeoutMs: number;
  statusQueryMs: number;
};

export type SimulationResult = {
  payments: number;
  approved: number;
  feesMinor: bigint;
  approvedMinor: bigint;
  attempts: number;
  timeouts: number;
  /** Per payment: time from the first call to the decision. */
  timesMs: number[];
};

function planFor(strategy: Strategy, options: SimulationOptions, payment: SyntheticPayment): RoutePlan {
  const plan = planRoute(options.routing, options.tenantId, options.regionId, payment);
  if (strategy === "single") {
    const takes = ineligibility(options.personalities.get(options.single), payment) === undefined;
    return { ...plan, processors: takes ? [options.single] : [], budget: { ...plan.budget, maxAttempts: 1 } };
  }
  if (strategy === "static") return { ...plan, budget: { ...plan.budget, maxAttempts: 1 } };
  return plan;
}

export function simulate(
  strategy: Strategy,
  traffic: readonly SyntheticPayment[],
  options: SimulationOptions,
): SimulationResult {
  const breakers = new Map<string, { state: BreakerState; buckets: Bucket[] }>();
  const health = (processor: string) => {
    let entry = breakers.get(processor);
    if (!entry) {
      entry = { state: CLOSED, buckets: [] };
      breakers.set(processor, entry);
    }
    return entry;
  };
  const useBreaker = strategy === "breaker";
  const result: SimulationResult = {
    payments: traffic.length,
    approved: 0,
    feesMinor: 0n,
    approvedMinor: 0n,
    attempts: 0,
    timeouts: 0,
    timesMs: [],
  };
  for (const payment of traffic) {
    const plan = planFor(strategy, options, payment);
    const attempts: Attempt[] = [];
    let now = payment.arrivalMs;
    /** What status() will say of the last answer-less attempt (the processor knows). */
    let resolution: Attempt["state"] = "SOFT_DECLINE";
    for (;;) {
      const available = (p: string) => !useBreaker || isAvailable(health(p).state, now, options.breaker);
      const step = nextStep(plan, attempts, now, available, options.perCallTimeoutMs);
      if (step.kind === "done") {
        if (step.outcome === "APPROVED") {
          const winner = attempts[attempts.length - 1]?.processor ?? "";
          const personality = options.personalities.get(winner);
          result.approved += 1;
          result.approvedMinor += payment.amount.minor;
          result.feesMinor += (personality && feeFor(personality, payment.amount)) ?? 0n;
        }
        break;
      }
      const last = attempts[attempts.length - 1];
      if (step.kind === "resolve" && last) {
        // The status query: the sandbox knows whether it processed the lost call.
        now += options.statusQueryMs;
        attempts[attempts.length - 1] = { ...last, state: resolution };
        continue;
      }
      if (step.kind !== "call") break;
      const personality = options.personalities.get(step.processor);
      const module = processorModule(step.processor);
      if (!personality || !module) throw new Error(`no processor ${step.processor}`);
      if (useBreaker)
        health(step.processor).state = admit(health(step.processor).state, now, options.breaker).next;
      const out = options.outage;
      const down = out && out.processor === step.processor && now >= out.fromMs && now < out.toMs;
      const decision = down
        ? ({ kind: "hang" } as const)
        : sandboxDecision(module, personality, {
            ...payment,
            tenantId: options.tenantId,
            correlationId: "bench",
            payer: { name: "bench", cardLast4: "0000" },
            payee: null,
            reference: null,
            attempt: step.attempt,
          });
      result.attempts += 1;
      const startedAtMs = now;
      let latencyMs: number;
      if (decision.kind === "hang" || decision.outcome.latencyMs >= step.timeoutMs) {
        latencyMs = step.timeoutMs;
        result.timeouts += 1;
        // A hang never reached it; a slow answer was processed all the same.
        resolution = decision.kind === "hang" ? "SOFT_DECLINE" : settled(decision.outcome.class);
        attempts.push({ processor: step.processor, state: "UNKNOWN", code: "timeout", startedAtMs });
      } else {
        if (decision.outcome.class === "UNKNOWN") resolution = "APPROVED"; // processed, answer lost
        latencyMs = decision.outcome.latencyMs;
        const { outcome } = decision;
        attempts.push(
          outcome.class === "APPROVED"
            ? { processor: step.processor, state: "APPROVED", startedAtMs }
            : { processor: step.processor, state: outcome.class, code: outcome.code, startedAtMs },
        );
      }
      now += latencyMs;
      if (useBreaker) {
        const entry = health(step.processor);
        const code = attempts[attempts.length - 1]?.code;
        const sample = { fault: code !== undefined && declineCode(code).processorFault, latencyMs };
        addSample(entry.buckets, sample, now, options.breaker);
        entry.state = afterResult(
          entry.state,
          sample,
          windowTotals(entry.buckets, entry.state, now, options.breaker),
          now,
          options.breaker,
        );
      }
    }
    result.timesMs.push(now - payment.arrivalMs);
  }
  return result;
}

const settled = (cls: Attempt["state"]): Attempt["state"] => (cls === "UNKNOWN" ? "APPROVED" : cls);

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
