// The sandbox processors: README's test inputs keep their outcomes on every processor of a
// rail, the failover card soft-declines only on the first attempt, answers repeat per key,
// an abort is honoured and status() knows what was received.
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../../core/config";
import type { PaymentType } from "../../../core/generated/graphql";
import {
  DECLINE_CODES,
  declineCode,
  FAILOVER_TEST_CARD,
  feeFor,
  type LedgerEntry,
  memoryLedger,
  type Personality,
  PROCESSOR_MODULES,
  type Processor,
  type ProcessorRequest,
  type SandboxLedger,
  sandboxDecision,
  sandboxProcessors,
  type Wait,
} from "../../../core/processors";

const config = await loadConfig("config");
const personalities = config.routing.personalities;

/** Answers at once; a call that never answers waits for its signal. No clock involved. */
const instant: Wait = (ms, signal) =>
  Number.isFinite(ms)
    ? Promise.resolve(!signal.aborted)
    : new Promise((resolve) => signal.addEventListener("abort", () => resolve(false), { once: true }));

const processors = sandboxProcessors(personalities, instant);
const ofType = (type: PaymentType): Processor[] =>
  [...processors.values()].filter((p) => p.paymentType === type);

let paymentCount = 0;
function request(overrides: Partial<ProcessorRequest> = {}): ProcessorRequest {
  paymentCount += 1;
  return {
    tenantId: "acme",
    paymentId: `pay_${paymentCount}`,
    correlationId: "corr-1",
    paymentType: "CARD",
    amount: { minor: 1250n, currency: "EUR" },
    payer: { name: "Ann", cardLast4: "4242", cardBrand: "visa" },
    payee: null,
    reference: null,
    attempt: 1,
    ...overrides,
  };
}

const options = (idempotencyKey: string) => ({ idempotencyKey, signal: new AbortController().signal });
const card = (number: string) => ({ name: "Ann", cardLast4: number.slice(-4), cardBrand: "visa" as const });

describe("README test inputs on every processor", () => {
  const cards: [string, string, string][] = [
    ["4242424242424242", "APPROVED", ""],
    ["4000000000000002", "HARD_DECLINE", "card_declined"],
    ["4000000000009995", "HARD_DECLINE", "insufficient_funds"],
    ["4000000000000069", "HARD_DECLINE", "expired_card"],
    ["4000000000000119", "SOFT_DECLINE", "processing_error"],
  ];
  it.each(ofType("CARD").map((p) => [p.name, p] as const))(
    "%s answers the test cards as documented",
    async (_, processor) => {
      for (const [number, cls, code] of cards) {
        for (const attempt of [1, 2, 3]) {
          const outcome = await processor.execute(
            request({ payer: card(number), attempt }),
            options(`k-${number}-${attempt}`),
          );
          expect(outcome.class).toBe(cls);
          if (outcome.class !== "APPROVED") expect(outcome.code).toBe(code);
        }
      }
    },
  );

  it("the failover card soft-declines on the first attempt of any card processor and is approved on the second", async () => {
    expect(
      ofType("CARD")
        .map((p) => p.name)
        .sort(),
    ).toEqual(["adyen_sandbox", "checkout_sandbox", "stripe_sandbox"]);
    for (const first of ofType("CARD")) {
      const payment = request({ payer: card(FAILOVER_TEST_CARD) });
      const one = await first.execute(payment, options(`${payment.paymentId}-1`));
      expect(one).toMatchObject({ class: "SOFT_DECLINE", code: "do_not_honor" });
      for (const second of ofType("CARD").filter((p) => p !== first)) {
        const two = await second.execute(
          { ...payment, attempt: 2 },
          options(`${payment.paymentId}-2-${second.name}`),
        );
        expect(two.class).toBe("APPROVED");
      }
    }
  });

  it("speaks each processor's own vocabulary beside Payrail's code", async () => {
    const byName = new Map([...processors].map(([name, p]) => [name, p]));
    const declined = request({ payer: card("4000000000009995") });
    const answers = await Promise.all(
      ["stripe_sandbox", "adyen_sandbox", "checkout_sandbox"].map((name) =>
        byName.get(name)?.execute(declined, options(`voc-${name}`)),
      ),
    );
    expect(answers.map((a) => (a && a.class !== "APPROVED" ? [a.code, a.processorCode] : a))).toEqual([
      ["insufficient_funds", "insufficient_funds"],
      ["insufficient_funds", "12 Not enough balance"],
      ["insufficient_funds", "20051 Insufficient funds"],
    ]);
  });

  it("account-to-account rails keep their triggers on both banks", async () => {
    for (const processor of ofType("SEPA_CREDIT")) {
      const closed = await processor.execute(
        request({
          paymentType: "SEPA_CREDIT",
          amount: { minor: 1099n, currency: "EUR" },
          payer: { name: "Ann" },
        }),
        options(`sepa-99-${processor.name}`),
      );
      expect(closed).toMatchObject({ class: "HARD_DECLINE", code: "account_closed" });
      const invalid = await processor.execute(
        request({
          paymentType: "SEPA_CREDIT",
          payer: { name: "Ann" },
          payee: { name: "Bob", account: { iban: "DE72370400440532019999" } },
        }),
        options(`sepa-iban-${processor.name}`),
      );
      expect(invalid).toMatchObject({ class: "HARD_DECLINE", code: "invalid_account" });
    }
    for (const processor of ofType("ACH")) {
      const noAccount = await processor.execute(
        request({
          paymentType: "ACH",
          amount: { minor: 1000n, currency: "USD" },
          payer: { name: "Ann" },
          payee: { name: "Bob", account: { accountNumber: "000111111116" } },
        }),
        options(`ach-${processor.name}`),
      );
      expect(noAccount).toMatchObject({ class: "HARD_DECLINE", code: "no_account", processorCode: "R03" });
    }
  });
});

describe("the processor contract", () => {
  const stripe = () => {
    const processor = processors.get("stripe_sandbox");
    if (!processor) throw new Error("stripe_sandbox is configured");
    return processor;
  };

  it("answers a repeated idempotency key with the first answer, and status() knows it", async () => {
    const processor = sandboxProcessors(personalities, instant).get("adyen_sandbox") as Processor;
    expect(await processor.status("attempt-1")).toEqual({ class: "NOT_FOUND" });
    const first = await processor.execute(request(), options("attempt-1"));
    const again = await processor.execute(
      request({ amount: { minor: 99n, currency: "EUR" } }),
      options("attempt-1"),
    );
    expect(again).toEqual(first);
    expect(await processor.status("attempt-1")).toEqual(first);
  });

  it("settles a hanging call UNKNOWN when its signal aborts; status() then says it never arrived", async () => {
    const processor = sandboxProcessors(personalities, instant).get("sepa_nordbank_sandbox") as Processor;
    const controller = new AbortController();
    const call = processor.execute(
      request({
        paymentType: "SEPA_CREDIT",
        amount: { minor: 1013n, currency: "EUR" },
        payer: { name: "Ann" },
      }),
      { idempotencyKey: "hang-1", signal: controller.signal },
    );
    controller.abort();
    expect(await call).toMatchObject({ class: "UNKNOWN", code: "timeout" });
    expect(await processor.status("hang-1")).toEqual({ class: "NOT_FOUND" });
  });

  it("keeps an answer lost after sending: UNKNOWN to the caller, APPROVED in status()", async () => {
    const lossy: Personality = {
      ...(personalities.get("stripe_sandbox") as Personality),
      rates: { hardDeclineBps: 0, softDeclineBps: 0, unknownBps: 10_000 },
    };
    const processor = sandboxProcessors(new Map([["stripe_sandbox", lossy]]), instant).get(
      "stripe_sandbox",
    ) as Processor;
    expect(await processor.execute(request(), options("lost-1"))).toMatchObject({ class: "UNKNOWN" });
    expect(await processor.status("lost-1")).toMatchObject({ class: "APPROVED" });
  });

  it("holds a slow card's answer for real, received at once: cut short it is UNKNOWN, and status() knows it approved", async () => {
    vi.useFakeTimers();
    try {
      const entries: LedgerEntry[] = [];
      const ledger = memoryLedger();
      const recording: SandboxLedger = {
        kept: (key) => ledger.kept(key),
        record(entry) {
          entries.push(entry);
          ledger.record(entry);
        },
      };
      const slow: Personality = {
        ...(personalities.get("stripe_sandbox") as Personality),
        slowCards: { "0077": 5000 },
      };
      // `instant` would answer at once; a slow card is waited for even so.
      const processor = sandboxProcessors(new Map([["stripe_sandbox", slow]]), instant, {
        ledgerOf: () => recording,
      }).get("stripe_sandbox") as Processor;
      let answer: unknown;
      void processor.execute(request({ payer: card("4000000000000077") }), options("slow-1")).then((a) => {
        answer = a;
      });
      await vi.advanceTimersByTimeAsync(4_999);
      expect(answer).toBeUndefined();
      // In flight, yet received: a crash of the caller now leaves a charge that status() finds.
      expect(await processor.status("slow-1")).toMatchObject({ class: "APPROVED", latencyMs: 5000 });
      await vi.advanceTimersByTimeAsync(1);
      expect(answer).toMatchObject({ class: "APPROVED", latencyMs: 5000 });
      // Cut short by the caller's timeout: UNKNOWN, yet charged.
      const controller = new AbortController();
      const cut = processor.execute(request({ payer: card("4000000000000077") }), {
        idempotencyKey: "slow-2",
        signal: controller.signal,
      });
      controller.abort();
      expect(await cut).toMatchObject({ class: "UNKNOWN", code: "timeout" });
      expect(await processor.status("slow-2")).toMatchObject({ class: "APPROVED" });
      // A repeated key is answered from the ledger and recorded as a repeat, not a second charge.
      expect(
        await processor.execute(request({ payer: card("4000000000000077") }), options("slow-1")),
      ).toEqual(answer);
      expect(
        entries.map(({ operation, idempotencyKey, kept, repeat }) => [
          operation,
          idempotencyKey,
          kept?.class,
          repeat,
        ]),
      ).toEqual([
        ["pay", "slow-1", "APPROVED", undefined],
        ["status", "slow-1", undefined, undefined],
        ["pay", "slow-2", "APPROVED", undefined],
        ["status", "slow-2", undefined, undefined],
        ["pay", "slow-1", undefined, true],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("is unreachable when switched down, without recording anything", async () => {
    const down: Personality = { ...(personalities.get("stripe_sandbox") as Personality), down: true };
    const processor = sandboxProcessors(new Map([["stripe_sandbox", down]]), instant).get(
      "stripe_sandbox",
    ) as Processor;
    expect(await processor.execute(request(), options("down-1"))).toMatchObject({
      class: "SOFT_DECLINE",
      code: "processor_unavailable",
      processorCode: "api_connection_error",
    });
    expect(await processor.status("down-1")).toEqual({ class: "NOT_FOUND" });
  });

  it("captures, voids and refunds idempotently", async () => {
    const processor = stripe();
    const auth = await processor.authorize(request(), options("auth-1"));
    expect(auth.class).toBe("APPROVED");
    const follow = {
      ...request(),
      processorReference: auth.class === "APPROVED" ? auth.processorReference : "",
      requestedAt: new Date().toISOString(),
    };
    const capture = await processor.capture(follow, options("capture-1"));
    expect(capture.class).toBe("APPROVED");
    expect(await processor.capture(follow, options("capture-1"))).toEqual(capture);
    expect((await processor.refund(follow, options("refund-1"))).class).toBe("APPROVED");
    expect((await processor.void(follow, options("void-1"))).class).toBe("APPROVED");
  });

  it("declines the capture of card 0341 and refunds ending in 77 on every card processor (README)", async () => {
    for (const processor of ofType("CARD")) {
      const held = request({ payer: card("4000000000000341") });
      const hold = await processor.authorize(held, options(`${processor.name}-hold`));
      expect(hold.class, processor.name).toBe("APPROVED");
      const follow = { ...held, processorReference: "ref" };
      expect(await processor.capture(follow, options(`${processor.name}-cap`))).toMatchObject({
        class: "HARD_DECLINE",
        code: "card_declined",
      });
      const settled = { ...request(), processorReference: "ref", requestedAt: new Date().toISOString() };
      expect((await processor.capture(settled, options(`${processor.name}-cap2`))).class).toBe("APPROVED");
      expect((await processor.void(follow, options(`${processor.name}-void`))).class).toBe("APPROVED");
      const refund = { ...settled, amount: { minor: 577n, currency: "EUR" } };
      expect(await processor.refund(refund, options(`${processor.name}-r77`))).toMatchObject({
        class: "SOFT_DECLINE",
        code: "refund_failed",
      });
      const other = { ...settled, amount: { minor: 576n, currency: "EUR" } };
      expect((await processor.refund(other, options(`${processor.name}-r76`))).class).toBe("APPROVED");
    }
  });

  it("is deterministic per (processor, payment, attempt) and draws rates near their personality", () => {
    const module = PROCESSOR_MODULES[0];
    if (!module) throw new Error("modules");
    const personality: Personality = {
      ...(personalities.get(module.name) as Personality),
      rates: { hardDeclineBps: 1_000, softDeclineBps: 2_000, unknownBps: 500 },
    };
    const counts = { APPROVED: 0, HARD_DECLINE: 0, SOFT_DECLINE: 0, UNKNOWN: 0 };
    for (let i = 0; i < 20_000; i++) {
      const input = { ...request(), paymentId: `p${i}`, payer: { name: "A", cardLast4: "1111" } };
      const decision = sandboxDecision(module, personality, input);
      expect(sandboxDecision(module, personality, input)).toEqual(decision);
      if (decision.kind === "answer") counts[decision.outcome.class] += 1;
    }
    // Binomial with n = 20,000: four standard deviations are under 1 point.
    expect(Math.abs(counts.HARD_DECLINE / 20_000 - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(counts.SOFT_DECLINE / 20_000 - 0.2)).toBeLessThan(0.012);
    expect(Math.abs(counts.UNKNOWN / 20_000 - 0.05)).toBeLessThan(0.007);
  });
});

describe("fees and the decline table", () => {
  it("prices fixed + basis points per currency, rounded up, and refuses an unpriced currency", () => {
    const stripe = personalities.get("stripe_sandbox") as Personality;
    expect(feeFor(stripe, { minor: 10_000n, currency: "EUR" })).toBe(25n + 150n);
    expect(feeFor(stripe, { minor: 1n, currency: "EUR" })).toBe(26n);
    expect(feeFor(stripe, { minor: 1000n, currency: "JPY" })).toBeUndefined();
  });

  it("classifies every code with a source, and an unknown code as a soft processor fault", () => {
    for (const [code, entry] of Object.entries(DECLINE_CODES)) expect(entry.source, code).not.toBe("");
    expect(declineCode("card_declined").class).toBe("HARD_DECLINE");
    expect(declineCode("do_not_honor")).toMatchObject({ class: "SOFT_DECLINE", processorFault: false });
    expect(declineCode("timeout").class).toBe("UNKNOWN");
    expect(declineCode("something_new")).toMatchObject({ class: "SOFT_DECLINE", processorFault: true });
  });

  it("every decline code is documented in docs/processors.md with its class", () => {
    const docs = readFileSync("docs/processors.md", "utf8");
    for (const [code, entry] of Object.entries(DECLINE_CODES)) {
      const row = docs.split("\n").find((line) => line.startsWith("|") && line.includes(`\`${code}\``));
      expect(row, code).toBeDefined();
      expect(row, code).toContain(entry.class.replace("_DECLINE", ""));
    }
  });
});
