// The sandbox test inputs of every rail (docs/core.md): deterministic refusals chosen by
// documented triggers, following the test-card conventions of the big processors. Every
// sandbox processor of a rail answers them alike (core/processors/sandbox.ts).
import type { AccountData, PartyData } from "../events";
import type { Money } from "../money";
import type { RailName } from "./names";

/** failed: a final refusal; transient: a refusal another try (or processor) may not repeat. */
type Refusal = { status: "failed" | "transient"; code: string };
/** What a trigger looks at. */
type TriggerInput = { payer: PartyData; payee: PartyData | null; amount: Money };
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
type FollowUpTrigger = {
  when: string;
  matches: (request: Pick<TriggerInput, "payer" | "amount">) => boolean;
  outcome: Refusal;
};

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
