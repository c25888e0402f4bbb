// AWS_LAMBDA data source: the handler module runs in-process. "Invoke" sends the
// request's payload (or AppSync's full context event); "BatchInvoke" collects the
// calls of one field made in the same tick and sends them as one array.
import type { HandlerLoader } from "../lambda-handlers";
import { DataSourceError } from "../runtime/errors";
import type { ResolverContext } from "../runtime/pipeline";

type LambdaRequest = { operation?: string; payload?: unknown; invocationType?: string };
type PendingBatch = {
  events: unknown[];
  settle: ((outcome: { value?: unknown; error?: unknown }) => void)[];
};

const contextEvent = (ctx: ResolverContext) => ({
  arguments: ctx.arguments,
  identity: ctx.identity,
  source: ctx.source,
  request: ctx.request,
  info: ctx.info,
  prev: ctx.prev,
  stash: ctx.stash,
});

const lambdaContext = (functionName: string) => ({
  functionName,
  awsRequestId: crypto.randomUUID(),
  getRemainingTimeInMillis: () => 30_000,
});

const unhandled = (error: unknown): DataSourceError =>
  new DataSourceError(error instanceof Error ? error.message : String(error), "Lambda:Unhandled");

export function createLambdaInvoker(load: HandlerLoader, functionName: string) {
  const run = async (event: unknown): Promise<unknown> => {
    try {
      return await (await load())(event, lambdaContext(functionName));
    } catch (error) {
      throw unhandled(error);
    }
  };

  const batches = new Map<string, PendingBatch>();
  const flush = async (key: string) => {
    const batch = batches.get(key);
    batches.delete(key);
    if (!batch) return;
    try {
      const results = await run(batch.events);
      if (!Array.isArray(results) || results.length !== batch.events.length) {
        throw new DataSourceError(
          "BatchInvoke must return one result per event, in order",
          "Lambda:Unhandled",
        );
      }
      batch.settle.forEach((settle, i) => {
        settle({ value: results[i] });
      });
    } catch (error) {
      for (const settle of batch.settle) settle({ error });
    }
  };

  return (request: unknown, ctx: ResolverContext): Promise<unknown> => {
    const { operation = "Invoke", payload } = (request ?? {}) as LambdaRequest;
    const event = payload === undefined ? contextEvent(ctx) : payload;
    if (operation === "Invoke") return run(event);
    if (operation !== "BatchInvoke") {
      return Promise.reject(new DataSourceError(`Unsupported operation ${operation}`, "Lambda:Request"));
    }
    const key = `${ctx.info.parentTypeName}.${ctx.info.fieldName}`;
    let batch = batches.get(key);
    if (!batch) {
      batch = { events: [], settle: [] };
      batches.set(key, batch);
      setImmediate(() => void flush(key));
    }
    const pending = batch;
    return new Promise((resolve, reject) => {
      pending.events.push(event);
      pending.settle.push(({ value, error }) => (error === undefined ? resolve(value) : reject(error)));
    });
  };
}
