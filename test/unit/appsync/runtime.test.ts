import { describe, expect, it } from "vitest";
import { DataSourceError, ResolverError } from "../../../local/appsync/runtime/errors";
import {
  type DataSourceInvoker,
  type ResolverContext,
  runPipeline,
} from "../../../local/appsync/runtime/pipeline";
import { appSyncRuntime, newCtx as ctxWith, newEvaluation } from "./runtime-harness";

const logs: unknown[][] = [];
const { slot, load } = appSyncRuntime((_level, args) => logs.push(args));
const newCtx = (args: Record<string, unknown> = {}) =>
  ctxWith({ args, identity: { resolverContext: { tenantId: "acme" } } as ResolverContext["identity"] });

/** Evaluates `expression` inside a resolver request handler and returns its value. */
const evaluate = (expression: string, evaluation = newEvaluation()): unknown => {
  const code = load(`import { util, extensions, runtime } from "@aws-appsync/utils";
    export function request(ctx) { return ${expression}; }`);
  slot.current = evaluation;
  try {
    return code.request?.(newCtx());
  } finally {
    slot.current = null;
  }
};

describe("APPSYNC_JS util", () => {
  it("util.error throws a resolver error with type, data and errorInfo", () => {
    try {
      evaluate(`util.error("nope", "NotFound", { id: 1 }, { why: "gone" })`);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ResolverError);
      expect(error).toMatchObject({
        message: "nope",
        errorType: "NotFound",
        data: { id: 1 },
        errorInfo: { why: "gone" },
      });
    }
  });

  it("util.appendError records an error and lets the handler continue", () => {
    const evaluation = newEvaluation();
    expect(evaluate(`(util.appendError("soft", "Warn"), 42)`, evaluation)).toBe(42);
    expect(evaluation.appendedErrors).toEqual([
      { message: "soft", errorType: "Warn", data: null, errorInfo: null },
    ]);
  });

  it("util.unauthorized names the field as AppSync does", () => {
    expect(() => evaluate("util.unauthorized()")).toThrow("Not Authorized to access thing on type Query");
  });

  it("makes ids: autoId (UUID v4), autoUlid (26 chars, sortable), autoKsuid (27 chars)", () => {
    expect(evaluate("util.autoId()")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const [a, b] = evaluate("[util.autoUlid(), util.autoUlid()]") as string[];
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a === b).toBe(false);
    expect(evaluate("util.autoKsuid()")).toMatch(/^[0-9A-Za-z]{27}$/);
  });

  it("util.time formats, parses and converts epoch values", () => {
    const ms = Date.UTC(2024, 1, 29, 13, 5, 9, 7);
    expect(evaluate(`util.time.epochMilliSecondsToISO8601(${ms})`)).toBe("2024-02-29T13:05:09.007Z");
    expect(evaluate(`util.time.epochMilliSecondsToSeconds(${ms})`)).toBe(Math.floor(ms / 1000));
    expect(evaluate(`util.time.epochMilliSecondsToFormatted(${ms}, "yyyy-MM-dd'T'HH:mm:ss.SSSZ")`)).toBe(
      "2024-02-29T13:05:09.007+0000",
    );
    expect(
      evaluate(`util.time.epochMilliSecondsToFormatted(${ms}, "dd/MM/yy HH:mm XXX", "Asia/Kolkata")`),
    ).toBe("29/02/24 18:35 +05:30");
    expect(
      evaluate(`util.time.parseFormattedToEpochMilliSeconds("2024-02-29 13:05:09", "yyyy-MM-dd HH:mm:ss")`),
    ).toBe(ms - 7);
    expect(evaluate(`util.time.parseISO8601ToEpochMilliSeconds("2024-02-29T13:05:09.007Z")`)).toBe(ms);
    const now = evaluate(
      "[util.time.nowEpochMilliSeconds(), util.time.nowEpochSeconds(), util.time.nowISO8601()]",
    );
    const [nowMs, nowS, nowIso] = now as [number, number, string];
    expect(Math.abs(nowMs - Date.now())).toBeLessThan(5_000);
    expect(nowS).toBe(Math.floor(nowMs / 1000));
    expect(Math.abs(Date.parse(nowIso) - nowMs)).toBeLessThan(5_000);
    expect(evaluate(`util.time.nowFormatted("yyyy")`)).toBe(String(new Date().getUTCFullYear()));
  });

  it("util.dynamodb converts values to attribute values", () => {
    expect(
      evaluate(`util.dynamodb.toMapValues({ id: "p1", n: 3, ok: true, tags: ["a"], nested: { x: null } })`),
    ).toEqual({
      id: { S: "p1" },
      n: { N: "3" },
      ok: { BOOL: true },
      tags: { L: [{ S: "a" }] },
      nested: { M: { x: { NULL: null } } },
    });
    expect(evaluate(`util.dynamodb.toStringSet(["a", "b"])`)).toEqual({ SS: ["a", "b"] });
    expect(evaluate(`util.dynamodb.toNumber(null)`)).toBeNull();
    expect(evaluate(`util.dynamodb.toNumberSet([1, 2])`)).toEqual({ NS: ["1", "2"] });
  });

  it("util.transform builds DynamoDB filter expressions and subscription filters", () => {
    const filter = JSON.parse(
      evaluate(
        `util.transform.toDynamoDBFilterExpression({ status: { eq: "SETTLED" }, amount: { between: [1, 9] } })`,
      ) as string,
    );
    expect(filter).toEqual({
      expression: "(#status = :status_eq) AND (#amount BETWEEN :amount_between_0 AND :amount_between_1)",
      expressionNames: { "#status": "status", "#amount": "amount" },
      expressionValues: {
        ":status_eq": { S: "SETTLED" },
        ":amount_between_0": { N: "1" },
        ":amount_between_1": { N: "9" },
      },
    });
    expect(
      evaluate(`util.transform.toSubscriptionFilter(
        { tenantId: { eq: "acme" }, or: [{ status: { eq: "SETTLED" } }, { amount: { gt: 100 } }], secret: { eq: 1 } },
        ["secret"])`),
    ).toEqual({
      filterGroup: [
        {
          filters: [
            { fieldName: "tenantId", operator: "eq", value: "acme" },
            { fieldName: "status", operator: "eq", value: "SETTLED" },
          ],
        },
        {
          filters: [
            { fieldName: "tenantId", operator: "eq", value: "acme" },
            { fieldName: "amount", operator: "gt", value: 100 },
          ],
        },
      ],
    });
  });

  it("extensions record subscription filters and invalidations", () => {
    const evaluation = newEvaluation();
    evaluate(
      `(extensions.setSubscriptionFilter({ filterGroup: [] }),
        extensions.setSubscriptionInvalidationFilter({ filterGroup: [{ filters: [] }] }),
        extensions.invalidateSubscriptions({ subscriptionField: "onX", payload: { id: 1 } }))`,
      evaluation,
    );
    expect(evaluation.subscriptionFilter).toEqual({ filterGroup: [] });
    expect(evaluation.invalidationFilter).toEqual({ filterGroup: [{ filters: [] }] });
    expect(evaluation.invalidations).toEqual([{ subscriptionField: "onX", payload: { id: 1 } }]);
  });

  it("string and encoding helpers", () => {
    expect(evaluate(`util.base64Decode(util.base64Encode("héllo"))`)).toBe("héllo");
    expect(evaluate(`util.urlEncode("a b&c")`)).toBe("a+b%26c");
    expect(evaluate(`util.urlDecode("a+b%26c")`)).toBe("a b&c");
    expect(evaluate(`util.matches("pay_[0-9]+", "pay_12")`)).toBe(true);
    expect(evaluate(`util.isNullOrBlank("  ")`)).toBe(true);
    expect(evaluate(`util.typeOf([1])`)).toBe("List");
    expect(evaluate(`util.authType()`)).toBe("API_KEY");
  });

  it("refuses imports other than @aws-appsync/utils", () => {
    expect(() => load(`import fs from "node:fs"; export function request() { return fs; }`)).toThrow(
      "cannot import node:fs",
    );
  });
});

describe("pipeline resolver", () => {
  const invocations: unknown[] = [];
  const invoke: DataSourceInvoker = async (dataSource, request) => {
    invocations.push({ dataSource, request });
    if (dataSource === "broken") throw new DataSourceError("boom", "Lambda:Unhandled");
    return (request as { payload: unknown }).payload;
  };
  const before = load(`export function request(ctx) { ctx.stash.order = ["before"]; return {}; }
    export function response(ctx) { ctx.stash.order.push("after"); return { result: ctx.prev.result, order: ctx.stash.order }; }`);
  const cacheCheck = load(`import { runtime } from "@aws-appsync/utils";
    export function request(ctx) {
      ctx.stash.order.push("cache");
      if (ctx.args.cached) runtime.earlyReturn({ from: "cache" });
      return { payload: null };
    }
    export function response(ctx) { return ctx.prev.result; }`);
  const fetch = load(`import { util } from "@aws-appsync/utils";
    export function request(ctx) { ctx.stash.order.push("fetch"); return { payload: { from: "source", id: ctx.args.id } }; }
    export function response(ctx) {
      if (ctx.error) util.error(ctx.error.message, ctx.error.type);
      return ctx.result;
    }`);

  const pipeline = {
    code: before,
    functions: [
      { name: "cache", dataSource: "none", code: cacheCheck },
      { name: "fetch", dataSource: "none", code: fetch },
    ],
  };

  it("runs before, each function with its data source, then after", async () => {
    invocations.length = 0;
    const result = await runPipeline(pipeline, newCtx({ id: "p1" }), newEvaluation(), slot, invoke);
    expect(result).toEqual({
      result: { from: "source", id: "p1" },
      order: ["before", "cache", "fetch", "after"],
    });
    expect(invocations).toHaveLength(2);
  });

  it("runtime.earlyReturn in a function skips its data source and response; skipTo END skips the rest", async () => {
    invocations.length = 0;
    const next = await runPipeline(
      pipeline,
      newCtx({ id: "p1", cached: true }),
      newEvaluation(),
      slot,
      invoke,
    );
    expect(next).toEqual({
      result: { from: "source", id: "p1" },
      order: ["before", "cache", "fetch", "after"],
    });
    expect(invocations).toHaveLength(1);

    const endEarly = load(`import { runtime } from "@aws-appsync/utils";
      export function request(ctx) { runtime.earlyReturn({ from: "end" }, { skipTo: "END" }); }
      export function response() { return "never"; }`);
    invocations.length = 0;
    const end = await runPipeline(
      {
        code: before,
        functions: [
          { name: "end", dataSource: "none", code: endEarly },
          { name: "fetch", dataSource: "none", code: fetch },
        ],
      },
      newCtx(),
      newEvaluation(),
      slot,
      invoke,
    );
    expect(end).toEqual({ result: { from: "end" }, order: ["before", "after"] });
    expect(invocations).toHaveLength(0);
  });

  it("runtime.earlyReturn in the before handler skips every function", async () => {
    invocations.length = 0;
    const early = load(`import { runtime } from "@aws-appsync/utils";
      export function request(ctx) { ctx.stash.order = ["before"]; runtime.earlyReturn("early"); }
      export function response(ctx) { return { result: ctx.prev.result, order: ctx.stash.order }; }`);
    const result = await runPipeline(
      { code: early, functions: [{ name: "fetch", dataSource: "none", code: fetch }] },
      newCtx(),
      newEvaluation(),
      slot,
      invoke,
    );
    expect(result).toEqual({ result: "early", order: ["before"] });
    expect(invocations).toHaveLength(0);
  });

  it("exposes a data source failure as ctx.error to the function's response handler", async () => {
    const run = runPipeline(
      { code: before, functions: [{ name: "fetch", dataSource: "broken", code: fetch }] },
      newCtx(),
      newEvaluation(),
      slot,
      invoke,
    );
    await expect(run).rejects.toMatchObject({ message: "boom", errorType: "Lambda:Unhandled" });
  });

  it("reports a runtime error in resolver code as a Code error", async () => {
    const broken = load(`export function request(ctx) { return ctx.nothing.here; }`);
    await expect(
      runPipeline({ code: broken, functions: [] }, newCtx(), newEvaluation(), slot, invoke),
    ).rejects.toMatchObject({ errorType: "Code" });
  });
});
