// One payment through its plan: the failover decision driven against real processors, each
// attempt marked started in the attempt journal before its call, so a redelivery after a
// crash finds it and asks the processor's status() instead of calling again. Pure of I/O
// itself: the journal (a conditional write in DynamoDB) and the shared health are ports.
import { declineCode } from "../processors/decline-codes";
import type { ProcessorRegistry } from "../processors/registry";
import type { ProcessorOutcome, ProcessorRequest } from "../processors/types";
import type { Sample } from "./breaker";
import { type Attempt, type NextStep, nextStep, resolvedAttempt } from "./failover";
import type { RoutePlan } from "./types";

/** An attempt as recorded: the decision's view plus what the processor said. */
export type AttemptRecord = Attempt & {
  /** `<paymentId>#<attempt>`: also the processor's idempotency key. */
  attemptId: string;
  attempt: number;
  processorCode?: string;
  processorReference?: string;
  latencyMs?: number;
};

/**
 * Where attempts are kept. An answer is recorded with the next write that follows it, so
 * that it costs no write of its own: an attempt followed by another goes with that one's
 * start; the last one's answer is the route's result, which the caller records with the
 * outcome it emits (execution: in the event the status service records). Only a lost
 * answer that stays unresolved is recorded alone (`finish`), so that it shows.
 */
export interface AttemptJournal {
  /** The payment's attempts so far, in order. */
  list(): Promise<AttemptRecord[]>;
  /**
   * Records the attempt STARTED unless it exists (another delivery got there first: false),
   * and with it, in the same write, `answered`: the answer of the attempt before it, when
   * this delivery learnt it and it is not recorded yet.
   */
  start(record: AttemptRecord, answered?: AttemptRecord): Promise<boolean>;
  /** Records an answer that no later write carries (a lost one, unresolved by status()). */
  finish(record: AttemptRecord): Promise<void>;
}

/** The breaker as execution sees it (consumers/persistence/processor-health.ts). */
export interface HealthGate {
  available(processors: readonly string[]): Promise<Set<string>>;
  claim(processor: string): Promise<boolean>;
  report(processor: string, sample: Sample): Promise<unknown>;
}

export type RouteResult =
  | (Extract<NextStep, { kind: "done" }> & { attempts: AttemptRecord[] })
  /** status() could not tell either: neither executed nor failed, try again later. */
  | { kind: "unresolved"; attempts: AttemptRecord[] };

export type RoutePaymentOptions = {
  plan: RoutePlan;
  request: Omit<ProcessorRequest, "attempt">;
  processors: ProcessorRegistry;
  journal: AttemptJournal;
  /** `authorize` holds the money (MANUAL capture); `execute` (the default) charges at once. */
  operation?: "execute" | "authorize";
  health?: HealthGate;
  now?: () => number;
  perCallTimeoutMs?: number;
  /**
   * Told of each call once its attempt is marked started, before the processor is called,
   * with the attempts before it (execution shows a failover live from here).
   */
  onCall?: (before: readonly AttemptRecord[], next: AttemptRecord) => Promise<void>;
  /** The call's signal; AbortSignal.timeout by default. */
  signalFor?: (ms: number) => AbortSignal;
};

function answered(record: AttemptRecord, outcome: ProcessorOutcome): AttemptRecord {
  const base = { ...record, latencyMs: outcome.latencyMs };
  return outcome.class === "APPROVED"
    ? { ...base, state: "APPROVED", processorReference: outcome.processorReference }
    : { ...base, state: outcome.class, code: outcome.code, processorCode: outcome.processorCode };
}

export async function routePayment(options: RoutePaymentOptions): Promise<RouteResult> {
  const { plan, request, processors, journal, health } = options;
  const now = options.now ?? Date.now;
  const signalFor = options.signalFor ?? ((ms: number) => AbortSignal.timeout(ms));
  const processorOf = (name: string) => {
    const processor = processors.get(name);
    if (!processor) throw new Error(`processor ${name} is planned but not registered`);
    return processor;
  };
  let attempts = await journal.list();
  /** The last attempt, when this delivery learnt its answer and the journal does not hold it yet. */
  let unrecorded: AttemptRecord | undefined;
  /** Refused a probe by the breaker during this delivery. */
  const refused = new Set<string>();
  for (;;) {
    // The breakers matter only when a call is next: done or resolve costs no health read.
    const unchecked = nextStep(plan, attempts, now(), () => true, options.perCallTimeoutMs);
    const healthy =
      health && unchecked.kind === "call"
        ? await health.available(plan.processors)
        : new Set(plan.processors);
    const step =
      unchecked.kind === "call"
        ? nextStep(plan, attempts, now(), (p) => healthy.has(p) && !refused.has(p), options.perCallTimeoutMs)
        : unchecked;
    if (step.kind === "done") return { ...step, attempts };
    const index = step.attempt - 1;
    const current = attempts[index];
    if (step.kind === "resolve") {
      if (!current) throw new Error(`attempt ${step.attempt} to resolve is not in the journal`);
      const status = await processorOf(step.processor).status(current.attemptId);
      if (status.class === "UNKNOWN") {
        // The answer this delivery lost stays UNKNOWN until a redelivery can tell: it shows so.
        if (unrecorded) await journal.finish(unrecorded);
        return { kind: "unresolved", attempts };
      }
      const resolved: AttemptRecord = { ...current, ...resolvedAttempt(current, status) };
      if (status.class === "APPROVED") resolved.processorReference = status.processorReference;
      attempts = [...attempts.slice(0, index), resolved];
      unrecorded = resolved;
      continue;
    }
    const alternative = plan.processors.some(
      (p) =>
        p !== step.processor && healthy.has(p) && !refused.has(p) && !attempts.some((a) => a.processor === p),
    );
    if (health && !(await health.claim(step.processor)) && alternative) {
      refused.add(step.processor);
      continue;
    }
    const record: AttemptRecord = {
      attemptId: `${request.paymentId}#${step.attempt}`,
      attempt: step.attempt,
      processor: step.processor,
      state: "STARTED",
      startedAtMs: now(),
    };
    if (!(await journal.start(record, unrecorded))) {
      attempts = await journal.list(); // another delivery started it: resolve what it left
      unrecorded = undefined;
      continue;
    }
    unrecorded = undefined;
    await options.onCall?.(attempts, record);
    const outcome = await processorOf(step.processor)[options.operation ?? "execute"](
      { ...request, attempt: step.attempt },
      { idempotencyKey: record.attemptId, signal: signalFor(step.timeoutMs) },
    );
    const done = answered(record, outcome);
    await health?.report(step.processor, {
      fault:
        outcome.class === "UNKNOWN" ||
        (outcome.class !== "APPROVED" && declineCode(outcome.code).processorFault),
      latencyMs: outcome.latencyMs,
    });
    attempts = [...attempts, done];
    unrecorded = done;
  }
}
