import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { parseProcessorsConfig } from "../../core/config";
import { moneyFromMinor } from "../../core/money";
import { SANDBOX_TRIGGERS } from "../../core/rails";

// Card numbers for load: Luhn-valid test Visas, each a distinct payer, so velocity rules
// (per payer and window) do not send a load test's payments to review.
export function randomTestCard(): string {
  const body = `4${Array.from({ length: 14 }, () => Math.floor(Math.random() * 10)).join("")}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) digit *= 2;
    sum += digit > 9 ? digit - 9 : digit;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** Whether the sandbox card rail refuses this card: its outcomes go by the last four digits. */
function sandboxRefuses(card: string): boolean {
  const request = {
    amount: moneyFromMinor("100", "EUR"),
    payer: { name: "Load Test", cardLast4: card.slice(-4) },
    payee: null,
  };
  return SANDBOX_TRIGGERS.card.some((trigger) => trigger.matches(request));
}

const PROCESSORS = fileURLToPath(new URL("../../config/processors.yaml", import.meta.url));
/**
 * Last fours a card processor holds past execution's call timeout (`slowCards`): one random
 * load card in 10,000 ends so, and its held call stalls its partition's later payments for
 * the timeout (2 s), which the pipeline bench once took for a stall of the pipeline's own.
 */
const SLOW_LAST4 = new Set(
  [
    ...parseProcessorsConfig(parse(readFileSync(PROCESSORS, "utf8")), PROCESSORS).personalities.values(),
  ].flatMap((personality) => Object.keys(personality.slowCards)),
);

/** Whether the card's payment settles at the sandboxes' usual pace: neither refused nor held. */
export function settlesPromptly(card: string): boolean {
  return !sandboxRefuses(card) && !SLOW_LAST4.has(card.slice(-4));
}

/** A test card the sandbox card rails take at once (about 1 in 250 random ones would not). */
function settlingTestCard(): string {
  for (;;) {
    const card = randomTestCard();
    if (settlesPromptly(card)) return card;
  }
}

/** A small card payment of a fresh payer under a fresh idempotency key, one that settles. */
export function loadPayment() {
  return {
    idempotencyKey: `load-${crypto.randomUUID()}`,
    paymentType: "CARD",
    amount: `${1 + Math.floor(Math.random() * 9)}.${String(Math.floor(Math.random() * 100)).padStart(2, "0")}`,
    currency: "EUR",
    payer: {
      name: "Load Test",
      country: "DE",
      card: { number: settlingTestCard(), expiryMonth: 12, expiryYear: 2031, cvc: "123" },
    },
  };
}
