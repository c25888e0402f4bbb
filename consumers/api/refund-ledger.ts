// A payment row as core's refund machine sees it.
import type { RefundLedger } from "../../core/states";
import type { PaymentRecord } from "../persistence/ports/payments";

const CHARGED = new Set(["EXECUTED", "SETTLED", "REFUNDED"]);

/** What the rail charged: the captured part for MANUAL, the whole amount once executed otherwise. */
export function capturedMinorOf(payment: PaymentRecord): bigint {
  if (payment.capturedMinor !== undefined) return BigInt(payment.capturedMinor);
  return payment.captureMethod !== "MANUAL" && CHARGED.has(payment.status) ? BigInt(payment.amountMinor) : 0n;
}

export function refundLedger(payment: PaymentRecord): RefundLedger {
  return {
    capturedMinor: capturedMinorOf(payment),
    refunds: Object.fromEntries(
      Object.values(payment.refunds ?? {}).map((refund) => [
        refund.refundId,
        { status: refund.status, amountMinor: BigInt(refund.amountMinor) },
      ]),
    ),
  };
}
