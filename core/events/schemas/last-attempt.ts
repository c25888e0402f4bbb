// The outcomes of a routed payment (PaymentExecuted v2, PaymentAuthorized v2, PaymentFailed
// v3) carry the answer of the payment's last processor attempt, so that the service that
// records the outcome records that attempt's answer in the same write (execution spends no
// write on it). Each version is the previous one plus this optional field.
import type { JsonSchema } from "../compatibility";
import { eventSchema } from "./common";
import { paymentAuthorizedV1 } from "./lifecycle.v1";
import { paymentExecutedV1 } from "./payment-executed.v1";
import { paymentFailedV2 } from "./payment-failed.v2";

const LAST_ATTEMPT: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["attempt", "state"],
  properties: {
    attempt: { type: "integer", minimum: 1, maximum: 100 },
    state: { enum: ["APPROVED", "SOFT_DECLINE", "HARD_DECLINE"] },
    code: { type: "string", pattern: "^[a-z0-9_]{1,64}$" },
    processorCode: { type: "string", minLength: 1, maxLength: 64 },
    latencyMs: { type: "integer", minimum: 0, maximum: 86_400_000 },
  },
};

/** `previous` (a published version's schema) with `lastAttempt` added to its data. */
function withLastAttempt(type: string, version: number, previous: JsonSchema): JsonSchema {
  const data = previous.properties?.data as JsonSchema;
  return eventSchema(type, version, {
    required: data.required,
    properties: { ...data.properties, lastAttempt: LAST_ATTEMPT },
  });
}

export const paymentExecutedV2 = withLastAttempt("PaymentExecuted", 2, paymentExecutedV1);
export const paymentAuthorizedV2 = withLastAttempt("PaymentAuthorized", 2, paymentAuthorizedV1);
export const paymentFailedV3 = withLastAttempt("PaymentFailed", 3, paymentFailedV2);
