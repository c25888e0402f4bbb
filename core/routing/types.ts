// Routing configuration and the planner's input and answer.
import type { PaymentType } from "../generated/graphql";
import type { Money } from "../money";
import type { Personality } from "../processors/personality";
import type { BreakerPolicy } from "./breaker";

/** What a rule may look at; every field given must hold (lists: any of). */
export type RuleMatch = {
  paymentTypes?: readonly PaymentType[];
  currencies?: readonly string[];
  /** Inclusive bounds in minor units of the payment's currency. */
  amountMinor?: { min?: bigint; max?: bigint };
  cardBrands?: readonly string[];
  binCountries?: readonly string[];
  payerCountries?: readonly string[];
  /** Keys that must all be present in the payment's metadata. */
  metadataKeys?: readonly string[];
};

export type WeightedProcessor = { processor: string; weight: number };

export type RoutingTarget =
  | { kind: "priority"; processors: readonly string[] }
  /** The primary is drawn by weight per payment; the others follow by descending weight. */
  | { kind: "split"; split: readonly WeightedProcessor[] };

export type RoutingRule = { id: string; match: RuleMatch; target: RoutingTarget };

/** How far failover may go for one payment. */
export type FailoverBudget = { maxAttempts: number; maxTotalMs: number };

/** One tenant's or one region's routing document (config/routing/{tenants,regions}/<id>.yaml). */
export type RoutingTable = {
  source: "tenant" | "region";
  id: string;
  rules: readonly RoutingRule[];
  defaults: Readonly<Partial<Record<PaymentType, readonly string[]>>>;
  budget?: FailoverBudget;
};

export type RoutingConfig = {
  personalities: ReadonlyMap<string, Personality>;
  tenants: ReadonlyMap<string, RoutingTable>;
  regions: ReadonlyMap<string, RoutingTable>;
  breaker: BreakerPolicy;
};

/** A payment as routing sees it: no card number, only brand and BIN country. */
export type RoutingInput = {
  /** Draws a split's primary; null (a preview) orders a split by weight instead. */
  paymentId: string | null;
  paymentType: PaymentType;
  amount: Money;
  cardBrand?: string | null;
  binCountry?: string | null;
  payerCountry?: string | null;
  metadata?: Readonly<Record<string, unknown>> | null;
};

export type SkippedProcessor = { processor: string; reason: string };

export type RoutePlan = {
  /** `<source>:<table id>/<rule id>`, or `.../default` when no rule matched. */
  ruleId: string;
  /** Eligible processors in the order they would be tried. */
  processors: readonly string[];
  /** Named by the rule but unable to take this payment, and why. */
  skipped: readonly SkippedProcessor[];
  budget: FailoverBudget;
  /** The weights when a split rule decided. */
  split?: readonly WeightedProcessor[];
};

export const DEFAULT_BUDGET: FailoverBudget = { maxAttempts: 3, maxTotalMs: 10_000 };
