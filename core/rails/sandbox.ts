// Sandbox rail adapters: deterministic outcomes chosen by documented triggers
// (docs/core.md), following the test-card conventions of the big processors.
import { createHash } from "node:crypto";
import type { RailAdapter, RailOutcome, RailRequest } from "./adapter";
import type { RailName } from "./names";

type Refusal = Exclude<RailOutcome, { status: "succeeded" }>;
type Trigger = { when: string; matches: (request: RailRequest) => boolean; outcome: Refusal };

const failed = (code: string): Refusal => ({ status: "failed", code });
const transient = (code: string): Refusal => ({ status: "transient", code });

/** Cards are recognised by last four digits: the adapter only ever sees token, last4 and brand. */
const cardLast4 = (last4: string) => (request: RailRequest) => request.payer.cardLast4 === last4;

/** The last two digits of the amount in minor units (EUR 12.13 → 13, JPY 1213 → 13). */
const minorEndsWith = (ending: bigint) => (request: RailRequest) => request.amount.minor % 100n === ending;

const payeeAccount =
  (pick: (account: NonNullable<RailRequest["payee"]>["account"]) => boolean) => (request: RailRequest) =>
    pick(request.payee?.account);

// Account-to-account rails share the amount triggers.
const AMOUNT_TRIGGERS: readonly Trigger[] = [
  {
    when: "amount in minor units ends in 13 (e.g. 10.13)",
    matches: minorEndsWith(13n),
    outcome: transient("timeout"),
  },
  {
    when: "amount in minor units ends in 99 (e.g. 10.99)",
    matches: minorEndsWith(99n),
    outcome: failed("account_closed"),
  },
];

/** Every rail's triggers, first match wins; no match succeeds. Exported for the docs test. */
export const SANDBOX_TRIGGERS: Readonly<Record<RailName, readonly Trigger[]>> = {
  card: [
    {
      when: "card ending 0002 (4000000000000002)",
      matches: cardLast4("0002"),
      outcome: failed("card_declined"),
    },
    {
      when: "card ending 9995 (4000000000009995)",
      matches: cardLast4("9995"),
      outcome: failed("insufficient_funds"),
    },
    {
      when: "card ending 0069 (4000000000000069)",
      matches: cardLast4("0069"),
      outcome: failed("expired_card"),
    },
    {
      when: "card ending 0119 (4000000000000119)",
      matches: cardLast4("0119"),
      outcome: transient("processing_error"),
    },
  ],
  sepa: [
    {
      when: "payee IBAN ending in 9999",
      matches: payeeAccount((account) => account?.iban?.endsWith("9999") ?? false),
      outcome: failed("invalid_account"),
    },
    ...AMOUNT_TRIGGERS,
  ],
  ach: [
    {
      when: "payee account 000111111113",
      matches: payeeAccount((a) => a?.accountNumber === "000111111113"),
      outcome: failed("account_closed"),
    },
    {
      when: "payee account 000111111116",
      matches: payeeAccount((a) => a?.accountNumber === "000111111116"),
      outcome: failed("no_account"),
    },
    {
      when: "payee account 000222222227",
      matches: payeeAccount((a) => a?.accountNumber === "000222222227"),
      outcome: failed("insufficient_funds"),
    },
    ...AMOUNT_TRIGGERS,
  ],
  pix: [
    {
      when: "payee key unknown@sandbox.payrail.dev",
      matches: payeeAccount((a) => a?.pixKey === "unknown@sandbox.payrail.dev"),
      outcome: failed("pix_key_not_found"),
    },
    ...AMOUNT_TRIGGERS,
  ],
  upi: [
    {
      when: "payee VPA fail@sandbox",
      matches: payeeAccount((a) => a?.vpa === "fail@sandbox"),
      outcome: failed("vpa_not_found"),
    },
    ...AMOUNT_TRIGGERS,
  ],
  fps: [
    {
      when: "payee sort code 00-00-00",
      matches: payeeAccount((a) => a?.sortCode === "000000"),
      outcome: failed("unknown_sort_code"),
    },
    ...AMOUNT_TRIGGERS,
  ],
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
