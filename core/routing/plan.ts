// The pure planner: which processors a payment would be tried on, in which order, and why.
// The tenant's rules come first, then its region's; the first matching rule with at least
// one eligible processor decides; else the tenant's default for the payment type, else the
// region's.
import { ineligibility } from "./eligibility";
import { ruleMatches } from "./match";
import { splitOrder } from "./split";
import {
  DEFAULT_BUDGET,
  type FailoverBudget,
  type RoutePlan,
  type RoutingConfig,
  type RoutingInput,
  type RoutingRule,
  type RoutingTable,
  type SkippedProcessor,
} from "./types";

function candidates(rule: RoutingRule, input: RoutingInput): string[] {
  return rule.target.kind === "priority"
    ? [...rule.target.processors]
    : splitOrder(rule.target.split, rule.id, input.paymentId);
}

function eligible(config: RoutingConfig, names: readonly string[], input: RoutingInput) {
  const processors: string[] = [];
  const skipped: SkippedProcessor[] = [];
  for (const processor of names) {
    const reason = ineligibility(config.personalities.get(processor), input);
    if (reason) skipped.push({ processor, reason });
    else processors.push(processor);
  }
  return { processors, skipped };
}

const label = (table: RoutingTable, id: string) => `${table.source}:${table.id}/${id}`;

const tablesOf = (config: RoutingConfig, tenantId: string, regionId: string) =>
  [config.tenants.get(tenantId), config.regions.get(regionId)].filter(
    (table): table is RoutingTable => table !== undefined,
  );

/** The tenant's failover budget (the tenant's table's, else its region's): the same for all its payments. */
export function failoverBudget(config: RoutingConfig, tenantId: string, regionId: string): FailoverBudget {
  return tablesOf(config, tenantId, regionId).find((table) => table.budget)?.budget ?? DEFAULT_BUDGET;
}

export function planRoute(
  config: RoutingConfig,
  tenantId: string,
  regionId: string,
  input: RoutingInput,
): RoutePlan {
  const tables = tablesOf(config, tenantId, regionId);
  const budget = failoverBudget(config, tenantId, regionId);
  for (const table of tables) {
    for (const rule of table.rules) {
      if (!ruleMatches(rule.match, input)) continue;
      const found = eligible(config, candidates(rule, input), input);
      if (found.processors.length === 0) continue;
      const split = rule.target.kind === "split" ? { split: rule.target.split } : {};
      return { ruleId: label(table, rule.id), ...found, budget, ...split };
    }
  }
  for (const table of tables) {
    const names = table.defaults[input.paymentType];
    if (names) return { ruleId: label(table, "default"), ...eligible(config, names, input), budget };
  }
  return { ruleId: "none", processors: [], skipped: [], budget };
}
