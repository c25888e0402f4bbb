// A payment driven through its plan against the real sandbox processors: the failover card
// settles on the second processor, a hard decline stops, a redelivery after a crash
// mid-attempt asks status() instead of calling again, and an open breaker is skipped.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../core/config";
import {
  FAILOVER_TEST_CARD,
  type Processor,
  type ProcessorRegistry,
  sandboxProcessors,
  type Wait,
} from "../../../core/processors";
import {
  type AttemptJournal,
  type AttemptRecord,
  type HealthGate,
  planRoute,
  type RoutePlan,
  routePayment,
} from "../../../core/routing";

const config = await loadConfig("config");
const instant: Wait = (ms, signal) =>
  Number.isFinite(ms)
    ? Promise.resolve(!signal.aborted)
    : new Promise((resolve) => signal.addEventListener("abort", () => resolve(false), { once: true }));

/** The journal as DynamoDB would keep it: a conditional start per attempt id. */
function memoryJournal(initial: AttemptRecord[] = []): AttemptJournal & { records: AttemptRecord[] } {
  const records = [...initial];
  return {
    records,
    async list() {
      return [...records];
    },
    async start(record, answered) {
      if (records.some((r) => r.attemptId === record.attemptId)) return false;
      if (answered) records[records.findIndex((r) => r.attemptId === answered.attemptId)] = answered;
      records.push(record);
      return true;
    },
    async finish(record) {
      records[records.findIndex((r) => r.attemptId === record.attemptId)] = record;
    },
  };
}

/** Counts execute() calls per processor. */
function counted(registry: ProcessorRegistry) {
  const calls = new Map<string, number>();
  const wrapped = new Map<string, Processor>();
  for (const [name, processor] of registry) {
    wrapped.set(name, {
      ...processor,
      execute: (request, options) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return processor.execute(request, options);
      },
      status: (key) => processor.status(key),
    });
  }
  return { processors: wrapped as ProcessorRegistry, calls };
}

const card = (number: string, paymentId: string) => ({
  tenantId: "acme",
  paymentId,
  correlationId: "corr",
  paymentType: "CARD" as const,
  amount: { minor: 1250n, currency: "EUR" },
  payer: { name: "Ann", cardLast4: number.slice(-4), cardBrand: "visa" as const },
  payee: null,
  reference: null,
});

const planFor = (paymentId: string): RoutePlan =>
  planRoute(config.routing, "acme", "eu", {
    paymentId,
    paymentType: "CARD",
    amount: { minor: 1250n, currency: "EUR" },
    cardBrand: "visa",
  });

describe("routePayment", () => {
  it("settles the failover card on the second processor, with two attempts recorded", async () => {
    const { processors, calls } = counted(sandboxProcessors(config.routing.personalities, instant));
    const journal = memoryJournal();
    const plan = planFor("pay_fo");
    const result = await routePayment({
      plan,
      request: card(FAILOVER_TEST_CARD, "pay_fo"),
      processors,
      journal,
    });
    expect(result).toMatchObject({ kind: "done", outcome: "APPROVED" });
    expect(result.attempts.map((r) => [r.attemptId, r.processor, r.state, r.code])).toEqual([
      ["pay_fo#1", plan.processors[0], "SOFT_DECLINE", "do_not_honor"],
      ["pay_fo#2", plan.processors[1], "APPROVED", undefined],
    ]);
    // The first answer was recorded with the second start; the last one is the caller's to record.
    expect(journal.records.map((r) => [r.attemptId, r.state])).toEqual([
      ["pay_fo#1", "SOFT_DECLINE"],
      ["pay_fo#2", "STARTED"],
    ]);
    expect([...calls.values()]).toEqual([1, 1]);
  });

  it("stops at a hard decline", async () => {
    const { processors, calls } = counted(sandboxProcessors(config.routing.personalities, instant));
    const journal = memoryJournal();
    const result = await routePayment({
      plan: planFor("pay_hd"),
      request: card("4000000000000002", "pay_hd"),
      processors,
      journal,
    });
    expect(result).toMatchObject({
      kind: "done",
      outcome: "DECLINED",
      reason: "hard_decline",
      code: "card_declined",
    });
    expect([...calls.values()]).toEqual([1]);
  });

  it("after a crash mid-attempt, a redelivery resolves the attempt by status() and never calls twice", async () => {
    const registry = sandboxProcessors(config.routing.personalities, instant);
    const plan = planFor("pay_crash");
    const first = plan.processors[0] as string;
    // The first delivery marked attempt 1 started and the processor took it; then kill -9.
    const journal = memoryJournal([
      { attemptId: "pay_crash#1", attempt: 1, processor: first, state: "STARTED", startedAtMs: 0 },
    ]);
    await registry.get(first)?.execute(
      { ...card("4242424242424242", "pay_crash"), attempt: 1 },
      {
        idempotencyKey: "pay_crash#1",
        signal: new AbortController().signal,
      },
    );
    const { processors, calls } = counted(registry);
    const result = await routePayment({
      plan,
      request: card("4242424242424242", "pay_crash"),
      processors,
      journal,
    });
    expect(result).toMatchObject({ kind: "done", outcome: "APPROVED" });
    expect(calls.size).toBe(0);
    expect(result.attempts).toMatchObject([{ attemptId: "pay_crash#1", state: "APPROVED" }]);
    expect(journal.records).toMatchObject([{ attemptId: "pay_crash#1", state: "STARTED" }]);
    // The same delivery again: nothing more happens.
    await routePayment({ plan, request: card("4242424242424242", "pay_crash"), processors, journal });
    expect(calls.size).toBe(0);
    expect(journal.records).toHaveLength(1);
  });

  it("fails over when status() says the crashed attempt never arrived", async () => {
    const { processors, calls } = counted(sandboxProcessors(config.routing.personalities, instant));
    const plan = planFor("pay_lost");
    const journal = memoryJournal([
      {
        attemptId: "pay_lost#1",
        attempt: 1,
        processor: plan.processors[0] as string,
        state: "STARTED",
        startedAtMs: Date.now(),
      },
    ]);
    const result = await routePayment({
      plan,
      request: card("4242424242424242", "pay_lost"),
      processors,
      journal,
    });
    expect(result).toMatchObject({ kind: "done", outcome: "APPROVED" });
    expect(result.attempts.map((r) => [r.processor, r.state, r.code])).toEqual([
      [plan.processors[0], "SOFT_DECLINE", "timeout"],
      [plan.processors[1], "APPROVED", undefined],
    ]);
    expect(journal.records.map((r) => r.state)).toEqual(["SOFT_DECLINE", "STARTED"]);
    expect([...calls.keys()]).toEqual([plan.processors[1]]);
  });

  it("records a lost answer alone only when status() cannot tell either, so it shows as UNKNOWN", async () => {
    const registry = sandboxProcessors(config.routing.personalities, instant);
    const plan = planFor("pay_unknown");
    const first = plan.processors[0] as string;
    const lost = { class: "UNKNOWN" as const, code: "timeout", processorCode: "reset", latencyMs: 2_000 };
    const processors = new Map(registry);
    processors.set(first, {
      ...(registry.get(first) as Processor),
      execute: async () => lost,
      status: async () => lost,
    });
    const journal = memoryJournal();
    const result = await routePayment({
      plan,
      request: card("4242424242424242", "pay_unknown"),
      processors: processors as ProcessorRegistry,
      journal,
    });
    expect(result.kind).toBe("unresolved");
    expect(journal.records).toMatchObject([
      { attemptId: "pay_unknown#1", state: "UNKNOWN", latencyMs: 2_000 },
    ]);
  });

  it("times out a hanging bank on its signal, resolves it, tries the other, then fails with timeout", async () => {
    const { processors } = counted(sandboxProcessors(config.routing.personalities, instant));
    const plan = planRoute(config.routing, "acme", "eu", {
      paymentId: "pay_sepa",
      paymentType: "SEPA_CREDIT",
      amount: { minor: 1013n, currency: "EUR" },
    });
    const journal = memoryJournal();
    const signals: number[] = [];
    const result = await routePayment({
      plan,
      request: {
        ...card("4242424242424242", "pay_sepa"),
        paymentType: "SEPA_CREDIT",
        amount: { minor: 1013n, currency: "EUR" },
        payer: { name: "Ann" },
      },
      processors,
      journal,
      signalFor: (ms) => {
        signals.push(ms);
        return AbortSignal.abort(); // the timeout, already elapsed
      },
    });
    expect(result).toMatchObject({ kind: "done", outcome: "DECLINED", reason: "exhausted", code: "timeout" });
    expect(result.attempts.map((r) => [r.processor, r.state])).toEqual([
      ["sepa_nordbank_sandbox", "SOFT_DECLINE"],
      ["sepa_sudbank_sandbox", "SOFT_DECLINE"],
    ]);
    expect(journal.records.map((r) => r.state)).toEqual(["SOFT_DECLINE", "STARTED"]);
    expect(signals).toEqual([2000, 2000]);
  });

  it("skips a processor whose breaker is open and reports every result to the health gate", async () => {
    const { processors, calls } = counted(sandboxProcessors(config.routing.personalities, instant));
    const plan = planFor("pay_open");
    const [dead, alive] = plan.processors as [string, string];
    const reports: [string, boolean][] = [];
    const health: HealthGate = {
      available: async (ps) => new Set(ps.filter((p) => p !== dead)),
      claim: async (p) => p !== dead,
      report: async (p, sample) => reports.push([p, sample.fault]),
    };
    const result = await routePayment({
      plan,
      request: card("4242424242424242", "pay_open"),
      processors,
      journal: memoryJournal(),
      health,
    });
    expect(result).toMatchObject({ outcome: "APPROVED" });
    expect([...calls.keys()]).toEqual([alive]);
    expect(reports).toEqual([[alive, false]]);
  });
});
