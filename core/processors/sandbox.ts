// The one sandbox behaviour every sandbox processor shares; what differs between them is
// their personality (config) and their own decline vocabulary (their folder). Outcomes are
// deterministic per (processor, payment, attempt): README's test inputs first, then the
// personality's rates. A sandbox keeps a ledger by idempotency key, as a real processor
// does, so a repeated key gets the first answer and status() knows what it received. The
// ledger is a port: in memory by default; the local stack keeps it in files, so that, like a
// real processor's, it outlives a crash of the caller.
import type { PaymentType } from "../generated/graphql";
import type { RailName } from "../rails/names";
import { SANDBOX_CAPTURE_TRIGGERS, SANDBOX_REFUND_TRIGGERS, SANDBOX_TRIGGERS } from "../rails/sandbox";
import { declineCode } from "./decline-codes";
import { logNormalMs, uniform } from "./draw";
import type { Personality } from "./personality";
import { refundSettlesAt } from "./refund-settlement";
import type {
  CallOptions,
  Processor,
  ProcessorOutcome,
  ProcessorRequest,
  ProcessorStatus,
  RefundOutcome,
  RefundRequest,
} from "./types";

/** A processor's folder: its name, rail and how it spells Payrail's decline codes. */
export type SandboxModule = {
  name: string;
  paymentType: PaymentType;
  /** Normalized code → the processor's own code (what its API would answer). */
  nativeCodes: Readonly<Record<string, string>>;
};

/** pay: authorize or execute; the others act on an approved authorization. */
export type Operation = "pay" | "capture" | "void" | "refund";

/**
 * What a call amounts to before its latency: an answer, or no answer at all. `held`: a slow
 * card's answer, waited for for real (see Personality.slowCards).
 */
export type SandboxDecision =
  | { kind: "answer"; outcome: ProcessorOutcome; processed: boolean; held?: boolean }
  | { kind: "hang" };

/** One request as the sandbox received it. */
export type LedgerEntry = {
  operation: Operation | "status";
  idempotencyKey: string;
  /** Absent for status queries, which carry the key only. */
  paymentId?: string;
  /** A processed call's answer as kept under its key: what a repeat and status() are told. */
  kept?: ProcessorOutcome;
  /** A call with a key already kept, answered with the kept answer. */
  repeat?: true;
};

/** What a sandbox received, by idempotency key. */
export interface SandboxLedger {
  kept(idempotencyKey: string): ProcessorOutcome | undefined;
  record(entry: LedgerEntry): void;
}

/** The kept answers only, in memory (a Lambda container's sandbox; tests). */
export function memoryLedger(): SandboxLedger {
  const kept = new Map<string, ProcessorOutcome>();
  return {
    kept: (key) => kept.get(key),
    record(entry) {
      if (entry.kept) kept.set(entry.idempotencyKey, entry.kept);
    },
  };
}

const RAIL_OF: Readonly<Record<PaymentType, RailName>> = {
  CARD: "card",
  SEPA_CREDIT: "sepa",
  ACH: "ach",
  PIX: "pix",
  UPI: "upi",
  FASTER_PAYMENTS: "fps",
};

/** Soft-declines on whichever card processor is tried first, approved by the next (README). */
export const FAILOVER_TEST_CARD = "4000000000000259";

const HARD_CODES: Readonly<Record<PaymentType, readonly string[]>> = {
  CARD: ["card_declined", "insufficient_funds", "expired_card"],
  SEPA_CREDIT: ["account_closed", "invalid_account"],
  ACH: ["account_closed", "no_account", "insufficient_funds"],
  PIX: ["pix_key_not_found"],
  UPI: ["vpa_not_found"],
  FASTER_PAYMENTS: ["unknown_sort_code"],
};
const SOFT_CODES: Readonly<Record<PaymentType, readonly string[]>> = {
  CARD: ["do_not_honor", "issuer_unavailable", "processing_error"],
  SEPA_CREDIT: ["bank_unavailable"],
  ACH: ["bank_unavailable"],
  PIX: ["bank_unavailable"],
  UPI: ["bank_unavailable"],
  FASTER_PAYMENTS: ["bank_unavailable"],
};

const pick = <T>(items: readonly T[], u: number): T => items[Math.floor(u * items.length)] as T;

function reference(module: SandboxModule, request: ProcessorRequest): string {
  return `${module.name}_${uniform(module.name, request.paymentId, request.attempt).toString(36).slice(2, 14)}`;
}

/**
 * The pure decision: no clock, no I/O, the same for the same input. A follow-up (capture,
 * void, refund of an approved authorization) fails only on README's capture and refund
 * test inputs, or when the processor is down.
 */
export function sandboxDecision(
  module: SandboxModule,
  personality: Personality,
  request: ProcessorRequest,
  operation: Operation = "pay",
): SandboxDecision {
  const draw = (purpose: string) => uniform(module.name, request.paymentId, request.attempt, purpose);
  const heldMs = request.payer.cardLast4 ? personality.slowCards[request.payer.cardLast4] : undefined;
  const latencyMs =
    heldMs ??
    logNormalMs(
      personality.latencyMs.median,
      personality.latencyMs.p99,
      draw("latency-1"),
      draw("latency-2"),
    );
  const decided = sandboxOutcome(module, personality, request, operation, latencyMs, draw);
  return heldMs !== undefined && decided.kind === "answer" ? { ...decided, held: true } : decided;
}

function sandboxOutcome(
  module: SandboxModule,
  personality: Personality,
  request: ProcessorRequest,
  operation: Operation,
  latencyMs: number,
  draw: (purpose: string) => number,
): SandboxDecision {
  const declined = (code: string, processed = true): SandboxDecision => {
    const { class: cls } = declineCode(code);
    const outcome: ProcessorOutcome = {
      class: cls,
      code,
      processorCode: module.nativeCodes[code] ?? code,
      latencyMs,
    };
    return { kind: "answer", outcome, processed };
  };
  if (personality.down) return declined("processor_unavailable", false);
  if (operation !== "pay") {
    const triggers =
      operation === "capture"
        ? (SANDBOX_CAPTURE_TRIGGERS[RAIL_OF[module.paymentType]] ?? [])
        : operation === "refund"
          ? SANDBOX_REFUND_TRIGGERS
          : [];
    const trigger = triggers.find((t) => t.matches(request));
    return trigger ? declined(trigger.outcome.code) : approved(module, request, latencyMs);
  }
  if (request.payer.cardLast4 === FAILOVER_TEST_CARD.slice(-4) && request.paymentType === "CARD") {
    if (request.attempt === 1) return declined("do_not_honor");
  } else {
    const trigger = SANDBOX_TRIGGERS[RAIL_OF[module.paymentType]].find((t) => t.matches(request));
    if (trigger?.outcome.code === "timeout") return { kind: "hang" };
    if (trigger) return declined(trigger.outcome.code);
    const u = draw("outcome") * 10_000;
    const { hardDeclineBps, softDeclineBps, unknownBps } = personality.rates;
    if (u < hardDeclineBps) return declined(pick(HARD_CODES[module.paymentType], draw("code")));
    if (u < hardDeclineBps + softDeclineBps)
      return declined(pick(SOFT_CODES[module.paymentType], draw("code")));
    if (u < hardDeclineBps + softDeclineBps + unknownBps) {
      // Processed, but the answer is lost on the way back: status() finds it approved.
      return {
        kind: "answer",
        outcome: { class: "UNKNOWN", code: "connection_reset", processorCode: "connection_reset", latencyMs },
        processed: true,
      };
    }
  }
  return approved(module, request, latencyMs);
}

function approved(module: SandboxModule, request: ProcessorRequest, latencyMs: number): SandboxDecision {
  return {
    kind: "answer",
    outcome: { class: "APPROVED", processorReference: reference(module, request), latencyMs },
    processed: true,
  };
}

/** Waits `ms`, or less when `signal` aborts first (then resolves false). */
export type Wait = (ms: number, signal: AbortSignal) => Promise<boolean>;

export const realWait: Wait = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });

/**
 * Reports the drawn latency without sleeping it (the local stack's default, so the
 * pipeline's own latency is what it measures); a call that never answers still waits
 * for its signal, so timeouts stay real.
 */
export const reportedWait: Wait = (ms, signal) =>
  Number.isFinite(ms)
    ? Promise.resolve(!signal.aborted)
    : new Promise((resolve) => {
        if (signal.aborted) return resolve(false);
        signal.addEventListener("abort", () => resolve(false), { once: true });
      });

const lost = (latencyMs: number): ProcessorOutcome => ({
  class: "UNKNOWN",
  code: "timeout",
  processorCode: "timeout",
  latencyMs,
});

export function sandboxProcessor(
  module: SandboxModule,
  personality: Personality,
  wait: Wait = realWait,
  {
    now = () => new Date(),
    ledger = memoryLedger(),
  }: {
    now?: (() => Date) | undefined;
    /** What the processor received, by idempotency key (what repeats and status() are answered from). */
    ledger?: SandboxLedger | undefined;
  } = {},
): Processor {
  const call =
    (operation: Operation) =>
    async (request: ProcessorRequest, { idempotencyKey, signal }: CallOptions): Promise<ProcessorOutcome> => {
      const received = { operation, idempotencyKey, paymentId: request.paymentId };
      const seen = ledger.kept(idempotencyKey);
      if (seen) {
        ledger.record({ ...received, repeat: true });
        return seen;
      }
      if (signal.aborted) return lost(0);
      const decision = sandboxDecision(module, personality, request, operation);
      if (decision.kind === "hang") {
        await wait(Number.POSITIVE_INFINITY, signal);
        return lost(0);
      }
      const { outcome } = decision;
      // Received before the answer travels back: an abort (or a crash) from here on leaves it processed.
      if (decision.processed) {
        const kept: ProcessorOutcome =
          outcome.class === "UNKNOWN"
            ? {
                class: "APPROVED",
                processorReference: reference(module, request),
                latencyMs: outcome.latencyMs,
              }
            : outcome;
        ledger.record({ ...received, kept });
      }
      const answered = await (decision.held ? realWait : wait)(outcome.latencyMs, signal);
      return answered ? outcome : lost(outcome.latencyMs);
    };

  const refundCall = call("refund");
  /**
   * A bank rail takes the refund and settles it on its settlement day, a delay after it was
   * asked for: until then it answers PENDING (nothing recorded, so the same key asked again
   * later gets the final answer, also after a restart); from then on, the refund's answer.
   */
  async function refund(request: RefundRequest, options: CallOptions): Promise<RefundOutcome> {
    const settlesAt = refundSettlesAt(personality, new Date(request.requestedAt));
    if (personality.down || settlesAt.getTime() <= now().getTime() || ledger.kept(options.idempotencyKey))
      return refundCall(request, options);
    if (options.signal.aborted) return lost(0);
    const decision = sandboxDecision(module, personality, request, "refund");
    const latencyMs = decision.kind === "answer" ? decision.outcome.latencyMs : 0;
    if (!(await wait(latencyMs, options.signal))) return lost(latencyMs);
    return {
      class: "PENDING",
      processorReference: reference(module, request),
      settlesAt: settlesAt.toISOString(),
      latencyMs,
    };
  }

  return {
    name: module.name,
    paymentType: module.paymentType,
    authorize: call("pay"),
    execute: call("pay"),
    capture: call("capture"),
    void: call("void"),
    refund,
    async status(idempotencyKey): Promise<ProcessorStatus> {
      ledger.record({ operation: "status", idempotencyKey });
      return ledger.kept(idempotencyKey) ?? { class: "NOT_FOUND" };
    },
  };
}
