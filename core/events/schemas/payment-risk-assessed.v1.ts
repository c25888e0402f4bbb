import { eventSchema } from "./common";

export const paymentRiskAssessedV1 = eventSchema("PaymentRiskAssessed", 1, {
  required: ["status", "decision", "score", "reasons"],
  properties: {
    status: { enum: ["RISK_APPROVED", "IN_REVIEW", "DECLINED"] },
    decision: { enum: ["APPROVE", "REVIEW", "DECLINE"] },
    score: { type: "integer", minimum: 0, maximum: 100 },
    reasons: { type: "array", maxItems: 20, items: { type: "string", pattern: "^[a-z0-9_]{1,64}$" } },
  },
});
