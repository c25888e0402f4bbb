export type { BreakerPolicy, BreakerState, BreakerStatus, Bucket, Sample } from "./breaker";
export {
  addSample,
  admit,
  afterResult,
  bucketStart,
  CLOSED,
  DEFAULT_BREAKER,
  isAvailable,
  windowTotals,
} from "./breaker";
export { ineligibility } from "./eligibility";
export type { Attempt, AttemptState, NextStep } from "./failover";
export { nextStep, resolvedAttempt } from "./failover";
export { ruleMatches } from "./match";
export { failoverBudget, planRoute } from "./plan";
export type {
  AttemptJournal,
  AttemptRecord,
  HealthGate,
  RoutePaymentOptions,
  RouteResult,
} from "./route-payment";
export { routePayment } from "./route-payment";
export { splitOrder } from "./split";
export type {
  FailoverBudget,
  RoutePlan,
  RoutingConfig,
  RoutingInput,
  RoutingRule,
  RoutingTable,
  RoutingTarget,
  RuleMatch,
  SkippedProcessor,
  WeightedProcessor,
} from "./types";
export { DEFAULT_BUDGET } from "./types";
