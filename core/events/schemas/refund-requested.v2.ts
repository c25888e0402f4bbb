import { eventSchema } from "./common";
import { REFUND_REQUESTED_V1_DATA } from "./lifecycle.v1";

// v2: a refund may also be asked for while the payment is EXECUTED, on a rail that
// refunds before settlement (README "Refunds"); its status says which.
export const refundRequestedV2 = eventSchema("RefundRequested", 2, {
  required: REFUND_REQUESTED_V1_DATA.required,
  properties: { ...REFUND_REQUESTED_V1_DATA.properties, status: { enum: ["SETTLED", "EXECUTED"] } },
});
