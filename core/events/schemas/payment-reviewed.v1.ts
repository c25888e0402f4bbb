import { eventSchema, SHORT_TEXT } from "./common";

export const paymentReviewedV1 = eventSchema("PaymentReviewed", 1, {
  required: ["status", "decision", "reviewer", "reason"],
  properties: {
    status: { enum: ["RISK_APPROVED", "DECLINED"] },
    decision: { enum: ["APPROVE", "DECLINE"] },
    reviewer: { type: "string", minLength: 1, maxLength: 128 },
    reason: SHORT_TEXT,
  },
});
