import { AMOUNT_MINOR, CURRENCY, eventSchema, RAIL } from "./common";

export const paymentExecutedV1 = eventSchema("PaymentExecuted", 1, {
  required: ["status", "rail", "railReference", "amountMinor", "currency"],
  properties: {
    status: { const: "EXECUTED" },
    rail: RAIL,
    railReference: { type: "string", minLength: 1, maxLength: 128 },
    amountMinor: AMOUNT_MINOR,
    currency: CURRENCY,
  },
});
