// Sandbox rail adapters: deterministic outcomes chosen by documented triggers
// (docs/core.md), following the test-card conventions of the big processors.
import { createHash } from "node:crypto";
import type { AccountData } from "../events";
import type { RailAdapter, RailOutcome, RailRequest } from "./adapter";
import type { RailName } from "./names";

type Refusal = Exclude<RailOutcome, { status: "succeeded" }>;
type Trigger = { when: string; matches: (request: RailRequest) => boolean; outcome: Refusal };

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

/** Same payment, same reference: a retried execution is recognisable at the rail. */
function railReference(rail: RailName, paymentId: string): string {
  return `${rail}_${createHash("sha256").update(`${rail}:${paymentId}`).digest("hex").slice(0, 20)}`;
}

export function sandboxRailAdapter(name: RailName): RailAdapter {
  const triggers = SANDBOX_TRIGGERS[name];
  return {
    name,
    async execute(request) {
      const trigger = triggers.find((candidate) => candidate.matches(request));
      return trigger
        ? trigger.outcome
        : { status: "succeeded", railReference: railReference(name, request.paymentId) };
    },
  };
}
