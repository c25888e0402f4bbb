import { AMOUNT_MINOR, CURRENCY, eventSchema, RAIL } from "./common";

export const paymentSettledV1 = eventSchema("PaymentSettled", 1, {
  required: ["status", "rail", "settlementDate", "amountMinor", "currency"],
  properties: {
    status: { const: "SETTLED" },
    rail: RAIL,
    settlementDate: { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" },
    amountMinor: AMOUNT_MINOR,
    currency: CURRENCY,
  },
});
