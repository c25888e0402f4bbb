// A sandbox processor's personality: what it costs, what it accepts, how fast it answers
// and how often it says no. Read from config/processors.yaml (core/config/processors.ts).

import type { PaymentType } from "../generated/graphql";
import type { Money } from "../money";
import type { CardBrand } from "../payment-methods/card-number";

export type Fee = { fixedMinor: bigint; bps: number };

export type Personality = {
  name: string;
  paymentType: PaymentType;
  /** Per currency it accepts: a fixed part in minor units plus basis points of the amount. */
  fees: Readonly<Record<string, Fee>>;
  /** Payer (or card BIN) countries it serves; empty means any. */
  countries: readonly string[];
  /** Card brands it accepts (cards only; empty means any). */
  brands: readonly CardBrand[];
  /** Log-normal latency given by its median and 99th percentile. */
  latencyMs: { median: number; p99: number };
  /** Outcome rates in basis points of attempts (10,000 = every attempt). */
  rates: { hardDeclineBps: number; softDeclineBps: number; unknownBps: number };
  /** The outage switch: every call fails as if the processor were unreachable. */
  down: boolean;
  // --- refunds (issue #13; ./refund-settlement) ---
  /** How long the rail takes to settle a refund; absent or 0: answered at once (cards, instant rails). */
  refundSettlementMs?: number;
  /** Whether a payment may be refunded while EXECUTED, before it settled; absent means it may. */
  refundBeforeSettlement?: boolean;
  /**
   * Test cards (by last four, as the sandbox sees cards) whose every call is received at once
   * and answered only after this many ms, waited for real even where latency is only reported:
   * a call that is surely in flight, for crash tests, or cut short by the call's timeout.
   */
  slowCards: Readonly<Record<string, number>>;
};

/** The processor's fee for an amount, rounded up to the minor unit; undefined if it does not take the currency. */
export function feeFor(personality: Personality, amount: Money): bigint | undefined {
  const fee = personality.fees[amount.currency];
  if (!fee) return undefined;
  const variable = (amount.minor * BigInt(fee.bps) + 9_999n) / 10_000n;
  return fee.fixedMinor + variable;
}
