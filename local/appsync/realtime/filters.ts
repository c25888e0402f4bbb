// Enhanced subscription filters: groups are ORed, the filters of a group ANDed. Limits
// follow AppSync (rejected when the subscription starts, not when an event arrives).
import type { SubscriptionFilter, SubscriptionFilterRule } from "../runtime/transform";

export const FILTER_LIMITS = {
  groups: 10,
  filtersPerGroup: 5,
  inValues: 5,
  containsAnyValues: 20,
  fieldDepth: 5,
  fieldNameLength: 256,
};

const OPERATORS = new Set([
  "eq",
  "ne",
  "le",
  "lt",
  "ge",
  "gt",
  "contains",
  "notContains",
  "beginsWith",
  "in",
  "notIn",
  "between",
  "containsAny",
]);

/** Returns why the filter is invalid, or null. */
export function validateFilter(filter: SubscriptionFilter): string | null {
  const groups = filter?.filterGroup;
  if (!Array.isArray(groups)) return "filterGroup must be a list";
  if (groups.length > FILTER_LIMITS.groups)
    return `at most ${FILTER_LIMITS.groups} filter groups are allowed`;
  for (const group of groups) {
    const rules = group?.filters;
    if (!Array.isArray(rules)) return "every filter group needs a filters list";
    if (rules.length > FILTER_LIMITS.filtersPerGroup) {
      return `at most ${FILTER_LIMITS.filtersPerGroup} filters are allowed in a filter group`;
    }
    for (const rule of rules) {
      const problem = validateRule(rule);
      if (problem) return problem;
    }
  }
  return null;
}

function validateRule({ fieldName, operator, value }: SubscriptionFilterRule): string | null {
  if (typeof fieldName !== "string" || fieldName.length === 0) return "fieldName is required";
  if (fieldName.length > FILTER_LIMITS.fieldNameLength) return `fieldName ${fieldName} is too long`;
  if (fieldName.split(".").length > FILTER_LIMITS.fieldDepth)
    return `fieldName ${fieldName} is nested too deeply`;
  if (!OPERATORS.has(operator)) return `unsupported operator ${operator}`;
  const list = Array.isArray(value) ? value : null;
  if ((operator === "in" || operator === "notIn") && (!list || list.length > FILTER_LIMITS.inValues)) {
    return `${operator} takes a list of at most ${FILTER_LIMITS.inValues} values`;
  }
  if (operator === "containsAny" && (!list || list.length > FILTER_LIMITS.containsAnyValues)) {
    return `containsAny takes a list of at most ${FILTER_LIMITS.containsAnyValues} values`;
  }
  if (operator === "between" && list?.length !== 2) return "between takes a list of two values";
  return null;
}

const valueAt = (data: unknown, path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>(
      (v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined),
      data,
    );

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

const comparable = (a: unknown, b: unknown): boolean =>
  (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string");

const contains = (field: unknown, value: unknown): boolean =>
  typeof field === "string"
    ? typeof value === "string" && field.includes(value)
    : Array.isArray(field) && field.some((f) => same(f, value));

function matchesRule(data: unknown, { fieldName, operator, value }: SubscriptionFilterRule): boolean {
  const field = valueAt(data, fieldName);
  const list = Array.isArray(value) ? value : [];
  switch (operator) {
    case "eq":
      return same(field, value);
    case "ne":
      return !same(field, value);
    case "lt":
      return comparable(field, value) && (field as number) < (value as number);
    case "le":
      return comparable(field, value) && (field as number) <= (value as number);
    case "gt":
      return comparable(field, value) && (field as number) > (value as number);
    case "ge":
      return comparable(field, value) && (field as number) >= (value as number);
    case "contains":
      return contains(field, value);
    case "notContains":
      return !contains(field, value);
    case "beginsWith":
      return typeof field === "string" && typeof value === "string" && field.startsWith(value);
    case "in":
      return list.some((v) => same(field, v));
    case "notIn":
      return !list.some((v) => same(field, v));
    case "between":
      return (
        comparable(field, list[0]) &&
        comparable(field, list[1]) &&
        (field as number) >= (list[0] as number) &&
        (field as number) <= (list[1] as number)
      );
    case "containsAny":
      return list.some((v) => contains(field, v));
    default:
      return false;
  }
}

export const matchesFilter = (filter: SubscriptionFilter, data: unknown): boolean =>
  filter.filterGroup.length === 0 ||
  filter.filterGroup.some((g) => g.filters.every((rule) => matchesRule(data, rule)));
