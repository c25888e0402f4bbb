import { eventSchema } from "./common";
import { PAYMENT_FAILED_V1_DATA } from "./payment-failed.v1";

// v2 adds the optional number of attempts made (transient errors are retried before FAILED).
export const paymentFailedV2 = eventSchema("PaymentFailed", 2, {
  required: PAYMENT_FAILED_V1_DATA.required,
  properties: {
    ...PAYMENT_FAILED_V1_DATA.properties,
    attempts: { type: "integer", minimum: 1, maximum: 100 },
  },
});
