// Version 1 of the lifecycle events (issue #13): manual capture, cancel and refunds.
// Rail outcomes carry the rail and its reference; refunds carry their own id and amount,
// so each event says what happened on its own.
import { AMOUNT_MINOR, CURRENCY, eventSchema, RAIL, SHORT_TEXT } from "./common";

const RAIL_REFERENCE = { type: "string", minLength: 1, maxLength: 128 };
const CODE = { type: "string", pattern: "^[a-z0-9_]{1,64}$" };
const REFUND_ID = { type: "string", pattern: "^ref_[0-9A-Z]{26}_[0-9A-Z]{26}$" };
const REFUND_REASON = { enum: ["REQUESTED_BY_CUSTOMER", "DUPLICATE", "FRAUDULENT", "OTHER"] };
const PRINCIPAL = { type: "string", minLength: 1, maxLength: 128 };
const DATE_TIME = { type: "string", format: "date-time" };

export const paymentAuthorizedV1 = eventSchema("PaymentAuthorized", 1, {
  required: ["status", "rail", "railReference", "amountMinor", "currency", "expiresAt"],
  properties: {
    status: { const: "AUTHORIZED" },
    rail: RAIL,
    railReference: RAIL_REFERENCE,
    amountMinor: AMOUNT_MINOR,
    currency: CURRENCY,
    expiresAt: DATE_TIME,
  },
});

export const paymentCaptureRequestedV1 = eventSchema("PaymentCaptureRequested", 1, {
  required: ["status", "amountMinor", "currency", "requestedBy"],
  properties: {
    status: { const: "AUTHORIZED" },
    amountMinor: AMOUNT_MINOR,
    currency: CURRENCY,
    requestedBy: PRINCIPAL,
  },
});

export const paymentCapturedV1 = eventSchema("PaymentCaptured", 1, {
  required: ["status", "rail", "railReference", "amountMinor", "releasedMinor", "currency"],
  properties: {
    status: { const: "EXECUTED" },
    rail: RAIL,
    railReference: RAIL_REFERENCE,
    amountMinor: AMOUNT_MINOR,
    releasedMinor: AMOUNT_MINOR,
    currency: CURRENCY,
  },
});

export const paymentCanceledV1 = eventSchema("PaymentCanceled", 1, {
  required: ["status", "reason", "canceledBy", "previousStatus"],
  properties: {
    status: { const: "CANCELED" },
    reason: SHORT_TEXT,
    canceledBy: PRINCIPAL,
    previousStatus: { enum: ["INITIATED", "RISK_APPROVED", "IN_REVIEW", "AUTHORIZED"] },
  },
});

const REFUND_DATA = {
  refundId: REFUND_ID,
  amountMinor: AMOUNT_MINOR,
  currency: CURRENCY,
  reason: REFUND_REASON,
};

export const REFUND_REQUESTED_V1_DATA = {
  required: ["status", "refundId", "amountMinor", "currency", "reason", "requestedBy"],
  properties: { status: { const: "SETTLED" }, ...REFUND_DATA, requestedBy: PRINCIPAL },
};

export const refundRequestedV1 = eventSchema("RefundRequested", 1, REFUND_REQUESTED_V1_DATA);

export const refundSucceededV1 = eventSchema("RefundSucceeded", 1, {
  required: ["status", "refundId", "amountMinor", "currency", "reason", "rail", "railReference"],
  properties: {
    status: { enum: ["SETTLED", "REFUNDED"] },
    ...REFUND_DATA,
    rail: RAIL,
    railReference: RAIL_REFERENCE,
  },
});

export const refundFailedV1 = eventSchema("RefundFailed", 1, {
  required: ["status", "refundId", "amountMinor", "currency", "reason", "rail", "code"],
  properties: {
    status: { const: "SETTLED" },
    ...REFUND_DATA,
    rail: RAIL,
    code: CODE,
    attempts: { type: "integer", minimum: 1, maximum: 100 },
  },
});
