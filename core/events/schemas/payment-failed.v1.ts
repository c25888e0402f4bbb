import { eventSchema, RAIL } from "./common";

export const PAYMENT_FAILED_V1_DATA = {
  required: ["status", "rail", "code"],
  properties: {
    status: { const: "FAILED" },
    rail: RAIL,
    code: { type: "string", pattern: "^[a-z0-9_]{1,64}$" },
  },
};

export const paymentFailedV1 = eventSchema("PaymentFailed", 1, PAYMENT_FAILED_V1_DATA);
