// util.transform: filter input objects (`{ field: { op: value }, and, or, not }`) to
// DynamoDB expressions and to enhanced subscription filters.
import { createDynamoDBUtils } from "./dynamodb";

type FieldOps = Record<string, unknown>;
type FilterInput = Record<string, unknown>;
type Expression = {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues: Record<string, unknown>;
};

const { toDynamoDB } = createDynamoDBUtils();

const COMPARATORS: Record<string, string> = { eq: "=", ne: "<>", le: "<=", lt: "<", ge: ">=", gt: ">" };

function fieldExpression(field: string, ops: FieldOps, out: Expression): string[] {
  const name = `#${field}`;
  out.expressionNames[name] = field;
  return Object.entries(ops).map(([op, value]) => {
    const placeholder = `:${field}_${op}`;
    const bind = (v: unknown, key = placeholder) => {
      out.expressionValues[key] = toDynamoDB(v);
      return key;
    };
    if (COMPARATORS[op]) return `(${name} ${COMPARATORS[op]} ${bind(value)})`;
    switch (op) {
      case "contains":
        return `(contains(${name},${bind(value)}))`;
      case "notContains":
        return `(NOT contains(${name},${bind(value)}))`;
      case "beginsWith":
        return `(begins_with(${name},${bind(value)}))`;
      case "between": {
        const [low, high] = value as [unknown, unknown];
        return `(${name} BETWEEN ${bind(low, `${placeholder}_0`)} AND ${bind(high, `${placeholder}_1`)})`;
      }
      case "in":
        return `(${name} IN (${(value as unknown[]).map((v, i) => bind(v, `${placeholder}_${i}`)).join(",")}))`;
      case "attributeExists":
        return value ? `(attribute_exists(${name}))` : `(attribute_not_exists(${name}))`;
      case "attributeType":
        return `(attribute_type(${name},${bind(value)}))`;
      default:
        throw new Error(`Unsupported filter operator ${op} on ${field}`);
    }
  });
}

function clauses(input: FilterInput, out: Expression): string[] {
  return Object.entries(input).flatMap(([key, value]) => {
    if (key === "and" || key === "or") {
      const parts = (value as FilterInput[]).map((sub) => `(${clauses(sub, out).join(" AND ")})`);
      return parts.length === 0 ? [] : [`(${parts.join(key === "and" ? " AND " : " OR ")})`];
    }
    if (key === "not") return [`(NOT (${clauses(value as FilterInput, out).join(" AND ")}))`];
    return fieldExpression(key, value as FieldOps, out);
  });
}

const toExpression = (input: FilterInput | null | undefined): Expression | null => {
  if (!input || Object.keys(input).length === 0) return null;
  const out: Expression = { expression: "", expressionNames: {}, expressionValues: {} };
  out.expression = clauses(input, out).join(" AND ");
  return out;
};

/** AppSync hands both expressions to the resolver as JSON text. */
const toExpressionJson = (input: FilterInput | null | undefined): string | null => {
  const expression = toExpression(input);
  return expression ? JSON.stringify(expression) : null;
};

export type SubscriptionFilterRule = { fieldName: string; operator: string; value: unknown };
export type SubscriptionFilter = { filterGroup: { filters: SubscriptionFilterRule[] }[] };

/** Disjunctive normal form: a list of conjunctions; groups are ORed, rules within a group ANDed. */
function toGroups(input: FilterInput, ignored: Set<string>): SubscriptionFilterRule[][] {
  let groups: SubscriptionFilterRule[][] = [[]];
  const and = (other: SubscriptionFilterRule[][]) => {
    groups = groups.flatMap((g) => other.map((o) => [...g, ...o]));
  };
  for (const [key, value] of Object.entries(input)) {
    if (ignored.has(key)) continue;
    if (key === "and") for (const sub of value as FilterInput[]) and(toGroups(sub, ignored));
    else if (key === "or") and((value as FilterInput[]).flatMap((sub) => toGroups(sub, ignored)));
    else
      and([
        Object.entries(value as FieldOps).map(([operator, v]) => ({ fieldName: key, operator, value: v })),
      ]);
  }
  return groups;
}

export const createTransformUtils = () => ({
  toDynamoDBFilterExpression: toExpressionJson,
  toDynamoDBConditionExpression: toExpressionJson,
  toSubscriptionFilter: (
    input: FilterInput,
    ignoredFields: string[] = [],
    rules?: FilterInput,
  ): SubscriptionFilter => {
    const ignored = new Set(ignoredFields);
    const base = toGroups(input, ignored);
    const groups = rules ? base.flatMap((g) => toGroups(rules, new Set()).map((r) => [...g, ...r])) : base;
    return { filterGroup: groups.filter((g) => g.length > 0).map((filters) => ({ filters })) };
  },
});
