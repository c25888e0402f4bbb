// One invoker per data source of the API definition, behind the runtime's invoker type.
// NONE (the default branch) hands the request's payload back as the result.
import type { ApiDefinition } from "../../../api/definition";
import { handlerLoader, type LambdaHandlers } from "../lambda-handlers";
import type { DataSourceInvoker, ResolverContext } from "../runtime/pipeline";
import { createDynamoDBInvoker } from "./dynamodb";
import { createHttpInvoker } from "./http";
import { createLambdaInvoker } from "./lambda";

type Invoke = (request: unknown, ctx: ResolverContext) => Promise<unknown>;

export function createDataSources(
  api: ApiDefinition,
  options: { dynamodbEndpoint?: string; handlers?: LambdaHandlers },
): DataSourceInvoker {
  const invokers = new Map<string, Invoke>(
    api.dataSources.map((ds): [string, Invoke] => {
      switch (ds.type) {
        case "AWS_LAMBDA":
          return [ds.name, createLambdaInvoker(handlerLoader(api, ds.handler, options.handlers), ds.name)];
        case "AMAZON_DYNAMODB": {
          const endpoint = options.dynamodbEndpoint;
          if (!endpoint)
            return [ds.name, () => Promise.reject(new Error(`${ds.name}: no dynamodbEndpoint configured`))];
          return [ds.name, createDynamoDBInvoker(ds.tableName, endpoint)];
        }
        case "HTTP":
          return [ds.name, createHttpInvoker(ds.endpoint)];
        default:
          return [ds.name, async (request) => (request as { payload?: unknown } | null)?.payload ?? null];
      }
    }),
  );
  return (name, request, ctx) => {
    const invoke = invokers.get(name);
    if (!invoke) return Promise.reject(new Error(`Unknown data source ${name}`));
    return invoke(request, ctx);
  };
}
