// The function behind a Lambda data source or the Lambda authorizer. On AWS each function
// has its own configuration; here the host may pass each handler built with its own
// configuration (start.ts does, so that two stacks can run in one process), keyed by the
// module path the API definition names. A handler not passed is that module's `handler`
// export, imported once, which builds itself from process.env as on Lambda.
import { pathToFileURL } from "node:url";
import { type ApiDefinition, apiPath } from "../../api/definition";

export type LambdaFunction = (event: unknown, context: unknown) => unknown;

/** Handler instances by the API definition's `handler` path, e.g. "consumers/initiation/handler.ts". */
export type LambdaHandlers = Record<string, LambdaFunction>;

export type HandlerLoader = () => Promise<LambdaFunction>;

export function handlerLoader(
  api: ApiDefinition,
  handler: string,
  given: LambdaHandlers = {},
): HandlerLoader {
  const instance = given[handler];
  if (instance) return () => Promise.resolve(instance);
  const path = apiPath(api, handler);
  let loaded: Promise<LambdaFunction> | undefined;
  return () => {
    loaded ??= import(pathToFileURL(path).href).then((m) => {
      if (typeof m.handler !== "function") throw new Error(`${path} exports no handler`);
      return m.handler as LambdaFunction;
    });
    return loaded;
  };
}

/** Every given handler must be one the definition names: a misspelt key would silently fall back. */
export function checkHandlers(api: ApiDefinition, given: LambdaHandlers = {}): void {
  const named = new Set<string>(
    api.dataSources.flatMap((ds) => (ds.type === "AWS_LAMBDA" ? [ds.handler] : [])),
  );
  for (const provider of [api.authentication.default, ...api.authentication.additional]) {
    if (provider.mode === "AWS_LAMBDA") named.add(provider.handler);
  }
  const unknown = Object.keys(given).filter((path) => !named.has(path));
  if (unknown.length > 0) throw new Error(`handlers for no Lambda of ${api.name}: ${unknown.join(", ")}`);
}
