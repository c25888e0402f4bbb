// Runs a pipeline resolver as AppSync does: before (request) handler, each function's
// request → data source → response, then the after (response) handler.
import { DataSourceError, EarlyReturn, ResolverError } from "./errors";
import type { CodeModule, Handler } from "./load";
import type { Evaluation, EvaluationSlot } from "./util";

export type ResolverInfo = {
  fieldName: string;
  parentTypeName: string;
  variables: Record<string, unknown>;
  selectionSetList: string[];
  selectionSetGraphQL: string;
};

export type ResolverContext = {
  arguments: Record<string, unknown>;
  args: Record<string, unknown>;
  identity: unknown;
  source: unknown;
  stash: Record<string, unknown>;
  prev: { result: unknown };
  result: unknown;
  error: { message: string; type: string } | undefined;
  info: ResolverInfo;
  request: { headers: Record<string, string>; domainName: string | null };
  /** The API's environment variables (AppSync `ctx.env`); runPipeline supplies `{}` when absent. */
  env?: Record<string, string>;
};

export type LoadedFunction = { name: string; dataSource: string; code: CodeModule };
export type LoadedPipeline = { code: CodeModule; functions: LoadedFunction[] };

/** Sends a function's request object to its data source; rejects with DataSourceError. */
export type DataSourceInvoker = (
  dataSource: string,
  request: unknown,
  ctx: ResolverContext,
) => Promise<unknown>;

type Outcome = { value: unknown } | { early: EarlyReturn };

const call = (
  slot: EvaluationSlot,
  evaluation: Evaluation,
  handler: Handler | undefined,
  ctx: ResolverContext,
): Outcome => {
  if (!handler) return { value: ctx.prev.result };
  slot.current = evaluation;
  try {
    return { value: handler(ctx) };
  } catch (error) {
    if (error instanceof EarlyReturn) return { early: error };
    if (error instanceof ResolverError) throw error;
    // A TypeError etc. from the resolver's own realm: AppSync reports it as a Code error.
    throw new ResolverError({ message: String((error as Error)?.message ?? error), errorType: "Code" });
  } finally {
    slot.current = null;
  }
};

export async function runPipeline(
  pipeline: LoadedPipeline,
  ctx: ResolverContext,
  evaluation: Evaluation,
  slot: EvaluationSlot,
  invoke: DataSourceInvoker,
): Promise<unknown> {
  ctx.env ??= {};
  const before = call(slot, evaluation, pipeline.code.request, ctx);
  ctx.prev.result = "early" in before ? before.early.value : before.value;
  if (!("early" in before)) {
    for (const fn of pipeline.functions) {
      ctx.result = undefined;
      ctx.error = undefined;
      const request = call(slot, evaluation, fn.code.request, ctx);
      if ("early" in request) {
        ctx.prev.result = request.early.value;
        if (request.early.skipTo === "END") break;
        continue;
      }
      try {
        ctx.result = await invoke(fn.dataSource, request.value, ctx);
      } catch (error) {
        if (!(error instanceof DataSourceError)) throw error;
        ctx.error = { message: error.message, type: error.type };
      }
      const response = call(slot, evaluation, fn.code.response, ctx);
      ctx.prev.result = "early" in response ? response.early.value : response.value;
    }
  }
  ctx.result = ctx.prev.result;
  ctx.error = undefined;
  const after = call(slot, evaluation, pipeline.code.response, ctx);
  return "early" in after ? after.early.value : after.value;
}
