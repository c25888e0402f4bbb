// Rows the refund index tests and bench/refunds write: a settled SEPA payment of 20.00 and a
// 5.00 refund on it, pending (waiting for the bank's settlement day when `waits`).
import type { PaymentRecord, RefundRecord } from "../../../consumers/persistence/ports/payments";

export function settledPayment(tenantId: string, paymentId: string, createdAt: string): PaymentRecord {
  return {
    paymentId,
    tenantId,
    status: "SETTLED",
    paymentType: "SEPA_CREDIT",
    amountMinor: "2000",
    currency: "EUR",
    payer: { name: "Ann" },
    idempotencyKey: `key-${paymentId}`,
    correlationId: `corr-${paymentId}`,
    processor: "sepa_nordbank_sandbox",
    railReference: "r",
    capturedMinor: "2000",
    refundableMinor: 2000,
    refunds: {},
    sequence: 4,
    createdAt,
    updatedAt: createdAt,
  };
}

export function pendingRefund(refundId: string, waits: boolean, createdAt: string): RefundRecord {
  return {
    refundId,
    amountMinor: "500",
    currency: "EUR",
    status: "PENDING",
    reason: "OTHER",
    sequence: 5,
    eventId: `evt-${refundId}`,
    principal: "test",
    createdAt,
    updatedAt: createdAt,
    ...(waits ? { waits: true } : {}),
  };
}
