import type { PaymentType } from "../generated/graphql";
import type { CardBrand, PixKeyType } from "../payment-methods";
import type { RiskDecision } from "../risk";

export const EVENT_TYPES = [
  "PaymentInitiated",
  "PaymentRiskAssessed",
  "PaymentReviewed",
  "PaymentExecuted",
  "PaymentFailed",
  "PaymentSettled",
  "PaymentAuthorized",
  "PaymentCaptureRequested",
  "PaymentCaptured",
  "PaymentCanceled",
  "RefundRequested",
  "RefundSucceeded",
  "RefundFailed",
  // routing (issue #14): a failover's steps
  "PaymentAttemptFailed",
  "PaymentRouted",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** A rail account as execution needs it. Never a card: cards travel as token + last4 + brand. */
export type AccountData = {
  iban?: string;
  bic?: string;
  routingNumber?: string;
  accountNumber?: string;
  accountType?: "CHECKING" | "SAVINGS";
  sortCode?: string;
  pixKey?: string;
  pixKeyType?: PixKeyType;
  vpa?: string;
};

export type PartyData = {
  name: string;
  country?: string;
  maskedAccount?: string;
  cardToken?: string;
  cardLast4?: string;
  cardBrand?: CardBrand;
  cardExpiry?: string;
  /** The card issuer's country from the BIN table (PaymentInitiated v3); absent when unknown. */
  cardBinCountry?: string;
  account?: AccountData;
};

/** A routed payment's last processor attempt as its outcome event carries it (processor = `rail`). */
export type LastAttempt = {
  attempt: number;
  state: "APPROVED" | "SOFT_DECLINE" | "HARD_DECLINE";
  code?: string;
  processorCode?: string;
  latencyMs?: number;
};

/** `data` per event type, at the latest schema version (older versions are subsets). */
export type EventDataByType = {
  PaymentInitiated: {
    status: "INITIATED";
    amountMinor: string;
    currency: string;
    idempotencyKey: string;
    payer: PartyData;
    payee?: PartyData;
    reference?: string;
    metadata?: Record<string, unknown>;
    /** HMAC of the payer's card or account (cardFingerprint), for velocity counting. */
    payerFingerprint?: string;
    /** v2: MANUAL stops at AUTHORIZED; absent means AUTOMATIC. */
    captureMethod?: "AUTOMATIC" | "MANUAL";
  };
  PaymentRiskAssessed: {
    status: "RISK_APPROVED" | "IN_REVIEW" | "DECLINED";
    decision: RiskDecision;
    score: number;
    reasons: string[];
  };
  PaymentReviewed: {
    status: "RISK_APPROVED" | "DECLINED";
    decision: "APPROVE" | "DECLINE";
    reviewer: string;
    reason: string;
  };
  PaymentExecuted: {
    status: "EXECUTED";
    rail: string;
    railReference: string;
    amountMinor: string;
    currency: string;
    /** v2: the winning attempt's answer (recorded with this event). */
    lastAttempt?: LastAttempt;
  };
  PaymentFailed: {
    status: "FAILED";
    rail: string;
    code: string;
    attempts?: number;
    /** v3: the last attempt's answer, when the payment was routed. */
    lastAttempt?: LastAttempt;
  };
  PaymentSettled: {
    status: "SETTLED";
    rail: string;
    settlementDate: string;
    amountMinor: string;
    currency: string;
  };
  PaymentAuthorized: {
    status: "AUTHORIZED";
    rail: string;
    railReference: string;
    amountMinor: string;
    currency: string;
    expiresAt: string;
    /** v2: the winning attempt's answer. */
    lastAttempt?: LastAttempt;
  };
  PaymentCaptureRequested: {
    status: "AUTHORIZED";
    amountMinor: string;
    currency: string;
    requestedBy: string;
  };
  PaymentCaptured: {
    status: "EXECUTED";
    rail: string;
    railReference: string;
    amountMinor: string;
    /** What the partial capture gave back of the hold. */
    releasedMinor: string;
    currency: string;
  };
  PaymentCanceled: {
    status: "CANCELED";
    reason: string;
    canceledBy: string;
    previousStatus: "INITIATED" | "RISK_APPROVED" | "IN_REVIEW" | "AUTHORIZED";
  };
  /** EXECUTED: asked for before the payment settled, on a rail that allows it. */
  RefundRequested: RefundData & { status: "SETTLED" | "EXECUTED"; requestedBy: string };
  RefundSucceeded: RefundData & { status: "SETTLED" | "REFUNDED"; rail: string; railReference: string };
  RefundFailed: RefundData & { status: "SETTLED"; rail: string; code: string; attempts?: number };
  /** An attempt that failed and is followed by another processor (never the last one). */
  PaymentAttemptFailed: {
    status: "RISK_APPROVED";
    processor: string;
    attempt: number;
    declineCode: string;
    declineClass: "SOFT" | "HARD";
    ruleId: string;
  };
  /** The processor a failover tries next. */
  PaymentRouted: { status: "RISK_APPROVED"; processor: string; attempt: number; ruleId: string };
};

export type RefundReason = "REQUESTED_BY_CUSTOMER" | "DUPLICATE" | "FRAUDULENT" | "OTHER";

type RefundData = { refundId: string; amountMinor: string; currency: string; reason: RefundReason };

export type EventEnvelope<T extends EventType = EventType> = {
  [K in T]: {
    eventId: string;
    type: K;
    schemaVersion: number;
    tenantId: string;
    paymentId: string;
    paymentType: PaymentType;
    correlationId: string;
    /** eventId of the event that caused this one; null for PaymentInitiated. */
    causationId: string | null;
    /** Per payment: 1 for PaymentInitiated, +1 along the causal chain. */
    sequence: number;
    occurredAt: string;
    data: EventDataByType[K];
  };
}[T];
