import type { RegionConfig, TenantConfig } from "../config";
import type { PaymentStatus, PaymentType } from "../generated/graphql";
import type { Money } from "../money";

export type RiskDecision = "APPROVE" | "REVIEW" | "DECLINE";

export type RiskSubject = {
  amount: Money;
  paymentType: PaymentType;
  payerCountry: string | null;
  payeeCountry: string | null;
};

export type RiskInput = {
  payment: RiskSubject;
  tenant: TenantConfig;
  region: RegionConfig;
  /** Payments by this payer within the tenant's velocity window, this one included. */
  velocityCount: number;
};

export type RiskAssessment = { decision: RiskDecision; score: number; reasons: string[] };

type Finding = { decision: Exclude<RiskDecision, "APPROVE">; reason: string };

/** The lower of the tenant's and the region's limit for the currency, if either sets one. */
function maxAmount(tenant: TenantConfig, region: RegionConfig, currency: string): bigint | undefined {
  const tenantMax = tenant.limits.maxAmountMinor[currency];
  const regionMax = region.limits.maxAmountMinor[currency];
  if (tenantMax === undefined) return regionMax;
  if (regionMax !== undefined && regionMax < tenantMax) return regionMax;
  return tenantMax;
}

function findings({ payment, tenant, region, velocityCount }: RiskInput): Finding[] {
  const { amount } = payment;
  const found: Finding[] = [];
  const decline = (reason: string) => found.push({ decision: "DECLINE", reason });
  const review = (reason: string) => found.push({ decision: "REVIEW", reason });

  if (!region.rails[payment.paymentType]) decline("payment_type_not_offered");
  if (!region.currencies.includes(amount.currency)) decline("currency_not_offered");
  if (tenant.blockedCurrencies.includes(amount.currency)) decline("currency_blocked");
  const blocked = new Set([...tenant.blockedCountries, ...region.blockedCountries]);
  if ([payment.payerCountry, payment.payeeCountry].some((country) => country && blocked.has(country))) {
    decline("country_blocked");
  }
  const max = maxAmount(tenant, region, amount.currency);
  if (max !== undefined && amount.minor > max) decline("limit_exceeded");
  const { maxCount } = tenant.limits.velocity;
  if (velocityCount > 2 * maxCount) decline("velocity_exceeded");
  else if (velocityCount > maxCount) review("velocity_over_limit");
  const threshold = tenant.limits.reviewThresholdMinor[amount.currency];
  if (threshold !== undefined && amount.minor > threshold) review("amount_over_review_threshold");
  return found;
}

/** 0-100: half from the amount's share of the limit, a third from velocity's share of its maximum. */
function baseScore({ payment, tenant, region, velocityCount }: RiskInput): number {
  const max = maxAmount(tenant, region, payment.amount.currency);
  const amountPart = max && max > 0n ? Number((payment.amount.minor * 50n) / max) : 0;
  const velocityPart = Math.round((30 * velocityCount) / tenant.limits.velocity.maxCount);
  return Math.min(100, amountPart + velocityPart);
}

/**
 * Pure risk rules. DECLINE when the payment type or currency is not offered, the currency
 * or a party's country is blocked, the amount is over the limit (`limit_exceeded`) or
 * velocity is over twice the tenant's maximum. REVIEW when velocity is over the maximum or
 * the amount is over the review threshold. Reasons list every rule that fired; the score
 * is 100 for DECLINE, 50-99 for REVIEW, 0-49 for APPROVE.
 */
export function assessRisk(input: RiskInput): RiskAssessment {
  const found = findings(input);
  const reasons = found.map((finding) => finding.reason);
  const score = baseScore(input);
  if (found.some((finding) => finding.decision === "DECLINE"))
    return { decision: "DECLINE", score: 100, reasons };
  if (found.length > 0) return { decision: "REVIEW", score: Math.min(99, Math.max(50, score)), reasons };
  return { decision: "APPROVE", score: Math.min(49, score), reasons };
}

type RiskStatus = Extract<PaymentStatus, "RISK_APPROVED" | "IN_REVIEW" | "DECLINED">;

const STATUS_FOR_DECISION: Readonly<Record<RiskDecision, RiskStatus>> = {
  APPROVE: "RISK_APPROVED",
  REVIEW: "IN_REVIEW",
  DECLINE: "DECLINED",
};

/** The payment status a risk decision leads to. */
export function statusForDecision(decision: RiskDecision): RiskStatus {
  return STATUS_FOR_DECISION[decision];
}
