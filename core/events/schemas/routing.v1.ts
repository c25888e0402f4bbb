// Routing events (issue #14), emitted by execution only when a payment fails over: the
// attempt that failed, then the processor tried next. The payment stays RISK_APPROVED.
import { eventSchema, RAIL } from "./common";

const ATTEMPT = { type: "integer", minimum: 1, maximum: 100 };
const RULE_ID = { type: "string", minLength: 1, maxLength: 200 };

export const paymentAttemptFailedV1 = eventSchema("PaymentAttemptFailed", 1, {
  required: ["status", "processor", "attempt", "declineCode", "declineClass", "ruleId"],
  properties: {
    status: { const: "RISK_APPROVED" },
    processor: RAIL,
    attempt: ATTEMPT,
    declineCode: { type: "string", minLength: 1, maxLength: 64 },
    declineClass: { enum: ["SOFT", "HARD"] },
    ruleId: RULE_ID,
  },
});

export const paymentRoutedV1 = eventSchema("PaymentRouted", 1, {
  required: ["status", "processor", "attempt", "ruleId"],
  properties: {
    status: { const: "RISK_APPROVED" },
    processor: RAIL,
    attempt: ATTEMPT,
    ruleId: RULE_ID,
  },
});
