import { eventSchema } from "./common";
import { paymentInitiatedV1 } from "./payment-initiated.v1";

const v1Data = paymentInitiatedV1.properties?.data ?? {};

// v2 adds the optional capture method (MANUAL: authorize now, capture later); absent is AUTOMATIC.
export const paymentInitiatedV2 = eventSchema("PaymentInitiated", 2, {
  required: v1Data.required,
  properties: { ...v1Data.properties, captureMethod: { enum: ["AUTOMATIC", "MANUAL"] } },
});
