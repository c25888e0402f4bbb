import { AMOUNT_MINOR, CURRENCY, eventSchema, PARTY } from "./common";

export const paymentInitiatedV1 = eventSchema("PaymentInitiated", 1, {
  required: ["status", "amountMinor", "currency", "idempotencyKey", "payer"],
  properties: {
    status: { const: "INITIATED" },
    amountMinor: AMOUNT_MINOR,
    currency: CURRENCY,
    idempotencyKey: { type: "string", pattern: "^[A-Za-z0-9_\\-:.]{1,128}$" },
    payer: PARTY,
    payee: PARTY,
    reference: { type: "string", maxLength: 140 },
    // Free JSON from the client (validated at ingress, card numbers refused there and here).
    metadata: { type: "object" },
    payerFingerprint: { type: "string", pattern: "^[0-9a-f]{64}$" },
  },
});
