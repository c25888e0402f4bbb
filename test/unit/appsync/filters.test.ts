import { describe, expect, it } from "vitest";
import { FILTER_LIMITS, matchesFilter, validateFilter } from "../../../local/appsync/realtime/filters";
import type { SubscriptionFilterRule } from "../../../local/appsync/runtime/transform";

const event = {
  tenantId: "acme",
  status: "SETTLED",
  amount: 1250,
  reference: "INV-2026-007",
  tags: ["vip", "eu"],
  payer: { country: "DE" },
};

const one = (rule: SubscriptionFilterRule) => matchesFilter({ filterGroup: [{ filters: [rule] }] }, event);

describe("enhanced subscription filters", () => {
  it.each([
    ["eq", "status", "SETTLED", "FAILED"],
    ["ne", "status", "FAILED", "SETTLED"],
    ["lt", "amount", 2000, 1250],
    ["le", "amount", 1250, 1249],
    ["gt", "amount", 1000, 1250],
    ["ge", "amount", 1250, 1251],
    ["contains", "reference", "2026", "2025"],
    ["contains", "tags", "vip", "us"],
    ["notContains", "tags", "us", "eu"],
    ["beginsWith", "reference", "INV-", "CRN-"],
    ["in", "status", ["SETTLED", "FAILED"], ["FAILED"]],
    ["notIn", "status", ["FAILED"], ["SETTLED"]],
    ["between", "amount", [1000, 1250], [1251, 2000]],
    ["containsAny", "tags", ["us", "eu"], ["us", "apac"]],
    ["eq", "payer.country", "DE", "FR"],
  ])("%s on %s matches %j and not %j", (operator, fieldName, yes, no) => {
    expect(one({ fieldName, operator, value: yes })).toBe(true);
    expect(one({ fieldName, operator, value: no })).toBe(false);
  });

  it("ANDs the filters of a group and ORs the groups", () => {
    const tenant = { fieldName: "tenantId", operator: "eq", value: "acme" };
    const wrongStatus = { fieldName: "status", operator: "eq", value: "FAILED" };
    expect(matchesFilter({ filterGroup: [{ filters: [tenant, wrongStatus] }] }, event)).toBe(false);
    expect(
      matchesFilter({ filterGroup: [{ filters: [tenant, wrongStatus] }, { filters: [tenant] }] }, event),
    ).toBe(true);
    expect(matchesFilter({ filterGroup: [{ filters: [{ ...tenant, value: "globex" }] }] }, event)).toBe(
      false,
    );
  });

  it("a missing field never satisfies a positive comparison", () => {
    expect(one({ fieldName: "nope", operator: "eq", value: "x" })).toBe(false);
    expect(one({ fieldName: "nope", operator: "gt", value: 0 })).toBe(false);
  });

  it("enforces AppSync's size limits", () => {
    const rule = { fieldName: "status", operator: "eq", value: "x" };
    const groups = (n: number, perGroup = 1) => ({
      filterGroup: Array.from({ length: n }, () => ({
        filters: Array.from({ length: perGroup }, () => rule),
      })),
    });
    expect(validateFilter(groups(FILTER_LIMITS.groups, FILTER_LIMITS.filtersPerGroup))).toBeNull();
    expect(validateFilter(groups(FILTER_LIMITS.groups + 1))).toMatch(/filter groups/);
    expect(validateFilter(groups(1, FILTER_LIMITS.filtersPerGroup + 1))).toMatch(/filters are allowed/);
    const withRule = (r: SubscriptionFilterRule) => validateFilter({ filterGroup: [{ filters: [r] }] });
    expect(withRule({ fieldName: "s", operator: "in", value: [1, 2, 3, 4, 5] })).toBeNull();
    expect(withRule({ fieldName: "s", operator: "in", value: [1, 2, 3, 4, 5, 6] })).toMatch(/at most 5/);
    expect(
      withRule({ fieldName: "s", operator: "containsAny", value: Array.from({ length: 21 }, (_, i) => i) }),
    ).toMatch(/at most 20/);
    expect(withRule({ fieldName: "s", operator: "between", value: [1] })).toMatch(/two values/);
    expect(withRule({ fieldName: "a.b.c.d.e.f", operator: "eq", value: 1 })).toMatch(/nested too deeply/);
    expect(withRule({ fieldName: "x".repeat(257), operator: "eq", value: 1 })).toMatch(/too long/);
    expect(withRule({ fieldName: "s", operator: "regex", value: "." })).toMatch(/unsupported operator/);
  });
});
