// Sandbox rail adapters: deterministic outcomes chosen by documented triggers
// (docs/core.md), following the test-card conventions of the big processors.
import { createHash } from "node:crypto";
import type { AccountData } from "../events";
import type { RailAdapter, RailCallBase, RailOutcome, RailRequest } from "./adapter";
import type { RailName } from "./names";

type Refusal = Exclude<RailOutcome, { status: "succeeded" }>;
/** What a trigger looks at, so that the processors (core/processors) share the table. */
type TriggerInput = Pick<RailRequest, "payer" | "payee" | "amount">;
type Trigger = { when: string; matches: (request: TriggerInput) => boolean; outcome: Refusal };

const failed = (code: string): Refusal => ({ status: "failed", code });
const transient = (code: string): Refusal => ({ status: "transient", code });

/** Cards are recognised by last four digits: the adapter only ever sees token, last4 and brand. */
function onCard(testCard: string, outcome: Refusal): Trigger {
  const last4 = testCard.slice(-4);
  return { when: `card ending ${last4} (${testCard})`, matches: (r) => r.payer.cardLast4 === last4, outcome };
}

/** A payee account field with exactly this value. */
function onPayee(label: string, field: keyof AccountData, value: string, outcome: Refusal): Trigger {
  return { when: `payee ${label} ${value}`, matches: (r) => r.payee?.account?.[field] === value, outcome };
}

/** The last two digits of the amount in minor units (EUR 12.13 → 13, JPY 1213 → 13). */
function onAmountEnding(ending: string, outcome: Refusal): Trigger {
  const value = BigInt(ending);
  return {
    when: `amount in minor units ends in ${ending} (e.g. 10.${ending})`,
    matches: (r) => r.amount.minor % 100n === value,
    outcome,
  };
}

// Account-to-account rails share the amount triggers.
const AMOUNT_TRIGGERS: readonly Trigger[] = [
  onAmountEnding("13", transient("timeout")),
  onAmountEnding("99", failed("account_closed")),
];

/** Every rail's triggers, first match wins; no match succeeds. Exported for the docs test. */
export const SANDBOX_TRIGGERS: Readonly<Record<RailName, readonly Trigger[]>> = {
  card: [
    onCard("4000000000000002", failed("card_declined")),
    onCard("4000000000009995", failed("insufficient_funds")),
    onCard("4000000000000069", failed("expired_card")),
    onCard("4000000000000119", transient("processing_error")),
  ],
  sepa: [
    {
      when: "payee IBAN ending in 9999",
      matches: (r) => r.payee?.account?.iban?.endsWith("9999") ?? false,
      outcome: failed("invalid_account"),
    },
    ...AMOUNT_TRIGGERS,
  ],
  ach: [
    onPayee("account", "accountNumber", "000111111113", failed("account_closed")),
    onPayee("account", "accountNumber", "000111111116", failed("no_account")),
    onPayee("account", "accountNumber", "000222222227", failed("insufficient_funds")),
    ...AMOUNT_TRIGGERS,
  ],
  pix: [
    onPayee("key", "pixKey", "unknown@sandbox.payrail.dev", failed("pix_key_not_found")),
    ...AMOUNT_TRIGGERS,
  ],
  upi: [onPayee("VPA", "vpa", "fail@sandbox", failed("vpa_not_found")), ...AMOUNT_TRIGGERS],
  fps: [onPayee("sort code", "sortCode", "000000", failed("unknown_sort_code")), ...AMOUNT_TRIGGERS],
};

/** Triggers of the calls after the first (capture, refund), on what every call carries. */
type FollowUpTrigger = { when: string; matches: (request: RailCallBase) => boolean; outcome: Refusal };

/** Capture refusals: a card whose authorization succeeds but whose capture is declined. */
export const SANDBOX_CAPTURE_TRIGGERS: Readonly<Partial<Record<RailName, readonly FollowUpTrigger[]>>> = {
  card: [
    {
      when: "card ending 0341 (4000000000000341)",
      matches: (r) => r.payer.cardLast4 === "0341",
      outcome: failed("card_declined"),
    },
  ],
};

/** Refund refusals, on every rail: a refund amount ending in 77 (e.g. 5.77) fails, after retries. */
export const SANDBOX_REFUND_TRIGGERS: readonly FollowUpTrigger[] = [
  {
    when: "refund amount in minor units ends in 77 (e.g. 5.77)",
    matches: (r) => r.amount.minor % 100n === 77n,
    outcome: transient("refund_failed"),
  },
];

/** Same payment (or refund), same reference: a retried call is recognisable at the rail. */
function railReference(rail: RailName, id: string): string {
  return `${rail}_${createHash("sha256").update(`${rail}:${id}`).digest("hex").slice(0, 20)}`;
}

function outcomeOf<R extends RailCallBase>(
  rail: RailName,
  triggers: readonly { matches: (request: R) => boolean; outcome: Refusal }[],
  request: R,
  referenceOf: string,
): RailOutcome {
  const trigger = triggers.find((candidate) => candidate.matches(request));
  return trigger ? trigger.outcome : { status: "succeeded", railReference: railReference(rail, referenceOf) };
}

export function sandboxRailAdapter(name: RailName): RailAdapter {
  const triggers = SANDBOX_TRIGGERS[name];
  return {
    name,
    async execute(request) {
      return outcomeOf(name, triggers, request, request.paymentId);
    },
    // A hold is refused for the same reasons a charge is.
    async authorize(request) {
      return outcomeOf(name, triggers, request, `${request.paymentId}/hold`);
    },
    async capture(request) {
      return outcomeOf(name, SANDBOX_CAPTURE_TRIGGERS[name] ?? [], request, request.paymentId);
    },
    async void(request) {
      return { status: "succeeded", railReference: request.railReference };
    },
    async refund(request) {
      return outcomeOf(name, SANDBOX_REFUND_TRIGGERS, request, request.refundId);
    },
  };
}
