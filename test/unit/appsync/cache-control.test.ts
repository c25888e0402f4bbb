import { describe, expect, it } from "vitest";
import { apiPath, payrailApi } from "../../../api/definition";
import { bundleAppSyncCode } from "../../../local/appsync/bundle";
import { type ResolverContext, runPipeline } from "../../../local/appsync/runtime/pipeline";
import { appSyncRuntime, newCtx as ctxWith, newEvaluation } from "./runtime-harness";

const { slot, load } = appSyncRuntime();
const lambdaEvaluation = () => newEvaluation({ fieldName: "payment", authType: "AWS_LAMBDA" });
const newCtx = (env?: Record<string, string>) => ctxWith({ fieldName: "payment", env });

const runRequest = (body: string, evaluation = lambdaEvaluation()) =>
  runPipeline(
    {
      code: load(`import { util } from "@aws-appsync/utils";
        export function request(ctx) { ${body}; return {}; }
        export function response(ctx) { return ctx.prev.result; }`),
      functions: [],
    },
    newCtx(),
    evaluation,
    slot,
    async () => null,
  ).then(() => evaluation);

describe("util.http response headers", () => {
  it("records headers, stringifying values, the latest of a name winning", async () => {
    const evaluation = await runRequest(
      `util.http.addResponseHeader("itemsCount", 7);
       util.http.addResponseHeaders({ render: { a: 1 }, itemsCount: 8 })`,
    );
    expect(evaluation.responseHeaders).toEqual({ itemsCount: "8", render: '{"a":1}' });
    expect(evaluation.appendedErrors).toEqual([]);
  });

  it("refuses restricted names and null values with a ResponseHeaderError", async () => {
    const evaluation = await runRequest(
      `util.http.addResponseHeader("Content-Type", "text/plain");
       util.http.addResponseHeader("x-amz-thing", "1");
       util.http.addResponseHeader("Vary", "x");
       util.http.addResponseHeader("empty", null)`,
    );
    expect(evaluation.responseHeaders ?? {}).toEqual({});
    expect(evaluation.appendedErrors.map((e) => e.errorType)).toEqual(Array(4).fill("ResponseHeaderError"));
  });

  it("refuses headers beyond 4 KB in total", async () => {
    const evaluation = await runRequest(
      `util.http.addResponseHeader("a", "${"x".repeat(3000)}");
       util.http.addResponseHeader("b", "${"y".repeat(3000)}")`,
    );
    expect(Object.keys(evaluation.responseHeaders ?? {})).toEqual(["a"]);
    expect(evaluation.appendedErrors).toHaveLength(1);
  });

  it("copyHeaders drops hop-by-hop headers", async () => {
    const code = load(`import { util } from "@aws-appsync/utils";
      export function request(ctx) { return util.http.copyHeaders({ host: "h", "Content-Length": "1", authorization: "t" }); }`);
    expect(code.request?.(newCtx())).toEqual({ authorization: "t" });
  });
});

describe("the Payrail query pipeline", () => {
  const queryResolver = payrailApi.resolvers.find((r) => r.typeName === "Query" && r.fieldName === "payment");

  it("answers with Cache-Control from ctx.env and passes the result through", async () => {
    if (!queryResolver) throw new Error("Query.payment is not in the definition");
    const code = load(await bundleAppSyncCode(apiPath(payrailApi, queryResolver.code)));
    const evaluation = lambdaEvaluation();
    const result = await runPipeline(
      {
        code,
        functions: [
          { name: "f", dataSource: "none", code: { response: (ctx) => (ctx as ResolverContext).result } },
        ],
      },
      newCtx({ QUERY_MAX_AGE_SECONDS: "9" }),
      evaluation,
      slot,
      async () => ({ id: "p1" }),
    );
    expect(result).toEqual({ id: "p1" });
    expect(evaluation.responseHeaders).toEqual({ "Cache-Control": "private, max-age=9" });
  });

  it("only Query resolvers of the definition use it", () => {
    const users = payrailApi.resolvers.filter((r) => r.code === queryResolver?.code);
    expect(users.length).toBeGreaterThan(0);
    expect(users.every((r) => r.typeName === "Query")).toBe(true);
    expect(payrailApi.environmentVariables?.QUERY_MAX_AGE_SECONDS).toMatch(/^\d+$/);
  });
});
