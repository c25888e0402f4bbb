import type { JsonSchema } from "./compatibility";
import { paymentAuthorizedV2, paymentExecutedV2, paymentFailedV3 } from "./schemas/last-attempt";
import {
  paymentAuthorizedV1,
  paymentCanceledV1,
  paymentCapturedV1,
  paymentCaptureRequestedV1,
  refundFailedV1,
  refundRequestedV1,
  refundSucceededV1,
} from "./schemas/lifecycle.v1";
import { paymentExecutedV1 } from "./schemas/payment-executed.v1";
import { paymentFailedV1 } from "./schemas/payment-failed.v1";
import { paymentFailedV2 } from "./schemas/payment-failed.v2";
import { paymentInitiatedV1 } from "./schemas/payment-initiated.v1";
import { paymentInitiatedV2 } from "./schemas/payment-initiated.v2";
import { paymentInitiatedV3 } from "./schemas/payment-initiated.v3";
import { paymentReviewedV1 } from "./schemas/payment-reviewed.v1";
import { paymentRiskAssessedV1 } from "./schemas/payment-risk-assessed.v1";
import { paymentSettledV1 } from "./schemas/payment-settled.v1";
import { refundRequestedV2 } from "./schemas/refund-requested.v2";
import { paymentAttemptFailedV1, paymentRoutedV1 } from "./schemas/routing.v1";
import type { EventType } from "./types";

export type EventSchemaDefinition = { type: EventType; version: number; schema: JsonSchema };

/** Every event type and version ever published, for the local schema registry and Glue. */
export const EVENT_SCHEMAS: readonly EventSchemaDefinition[] = [
  { type: "PaymentInitiated", version: 1, schema: paymentInitiatedV1 },
  { type: "PaymentRiskAssessed", version: 1, schema: paymentRiskAssessedV1 },
  { type: "PaymentReviewed", version: 1, schema: paymentReviewedV1 },
  { type: "PaymentExecuted", version: 1, schema: paymentExecutedV1 },
  { type: "PaymentFailed", version: 1, schema: paymentFailedV1 },
  { type: "PaymentFailed", version: 2, schema: paymentFailedV2 },
  { type: "PaymentSettled", version: 1, schema: paymentSettledV1 },
  { type: "PaymentInitiated", version: 2, schema: paymentInitiatedV2 },
  { type: "PaymentAuthorized", version: 1, schema: paymentAuthorizedV1 },
  { type: "PaymentCaptureRequested", version: 1, schema: paymentCaptureRequestedV1 },
  { type: "PaymentCaptured", version: 1, schema: paymentCapturedV1 },
  { type: "PaymentCanceled", version: 1, schema: paymentCanceledV1 },
  { type: "RefundRequested", version: 1, schema: refundRequestedV1 },
  { type: "RefundSucceeded", version: 1, schema: refundSucceededV1 },
  { type: "RefundFailed", version: 1, schema: refundFailedV1 },
  { type: "PaymentAttemptFailed", version: 1, schema: paymentAttemptFailedV1 },
  { type: "PaymentRouted", version: 1, schema: paymentRoutedV1 },
  { type: "PaymentExecuted", version: 2, schema: paymentExecutedV2 },
  { type: "PaymentAuthorized", version: 2, schema: paymentAuthorizedV2 },
  { type: "PaymentFailed", version: 3, schema: paymentFailedV3 },
  { type: "RefundRequested", version: 2, schema: refundRequestedV2 },
  { type: "PaymentInitiated", version: 3, schema: paymentInitiatedV3 },
];

export function schemaFor(type: string, version: number): JsonSchema | undefined {
  return EVENT_SCHEMAS.find((entry) => entry.type === type && entry.version === version)?.schema;
}

/** The version producers write. */
export function latestVersion(type: EventType): number {
  return Math.max(...EVENT_SCHEMAS.filter((entry) => entry.type === type).map((entry) => entry.version));
}
