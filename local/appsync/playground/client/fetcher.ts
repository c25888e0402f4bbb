// GraphiQL fetcher that speaks AppSync: queries and mutations as POST /graphql with the
// picked tenant's token in `Authorization`, subscriptions over the real-time WebSocket.
import {
  type ExecutionResult,
  GraphQLError,
  getOperationAST,
  type OperationDefinitionNode,
  parse,
} from "graphql";
import { type GraphQLPayload, type RealtimeAuthorization, subscribeRealtime } from "./realtime";

export type FetcherParams = { query: string; operationName?: string | null; variables?: unknown };
export type FetcherOptions = { headers?: Record<string, unknown> };
type Observer = {
  next: (value: ExecutionResult) => void;
  error: (error: unknown) => void;
  complete: () => void;
};
/** The Observable GraphiQL accepts: `subscribe(observer)` or `subscribe(next, error, complete)`. */
export type Observable = {
  subscribe(
    observerOrNext?: Observer | ((value: ExecutionResult) => void),
    error?: ((error: unknown) => void) | null,
    complete?: () => void,
  ): { unsubscribe: () => void };
};

export type AppSyncFetcherOptions = {
  httpUrl: string;
  realtimeUrl: string;
  /** The token of the tenant currently picked; read on every request. */
  token: () => string;
};

export function createAppSyncFetcher(options: AppSyncFetcherOptions) {
  return (params: FetcherParams, fetcherOptions?: FetcherOptions): Promise<ExecutionResult> | Observable => {
    // Headers typed in GraphiQL's header editor go along, and a typed Authorization wins
    // over the picker, to try other credentials.
    const { authorization: typed, others } = splitHeaders(fetcherOptions?.headers ?? {});
    const Authorization = typed ?? options.token();
    const operation = findOperation(params);
    const request = {
      ...params,
      operationName: operation ? (operation.name?.value ?? null) : params.operationName,
    };
    if (operation?.operation === "subscription") {
      const host = new URL(options.httpUrl).host;
      return subscriptionObservable(options.realtimeUrl, { host, ...others, Authorization }, request);
    }
    return postGraphQL(options.httpUrl, { ...others, Authorization }, request);
  };
}

/**
 * The operation to run. Right after a tab switch GraphiQL can still hand over the previous
 * tab's operation name; a document with a single operation then runs that one.
 */
function findOperation(params: FetcherParams): OperationDefinitionNode | undefined {
  try {
    const document = parse(params.query);
    return (
      getOperationAST(document, params.operationName ?? undefined) ?? getOperationAST(document) ?? undefined
    );
  } catch {
    return undefined; // let the server report the syntax error the way AppSync does
  }
}

function splitHeaders(headers: Record<string, unknown>): {
  authorization?: string;
  others: Record<string, string>;
} {
  const others: Record<string, string> = {};
  let authorization: string | undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === "authorization") authorization = String(value);
    else others[name] = String(value);
  }
  return { authorization, others };
}

async function postGraphQL(
  url: string,
  headers: Record<string, string>,
  params: FetcherParams,
): Promise<ExecutionResult> {
  const response = await fetch(url, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({
      query: params.query,
      operationName: params.operationName ?? null,
      variables: params.variables ?? {},
    }),
  });
  // AppSync answers 401/400 with a GraphQL-shaped JSON body worth showing as is.
  const text = await response.text();
  try {
    return JSON.parse(text) as ExecutionResult;
  } catch {
    return { errors: [new GraphQLError(`HTTP ${response.status} from ${url}: ${text.slice(0, 200)}`)] };
  }
}

function subscriptionObservable(
  url: string,
  authorization: RealtimeAuthorization,
  params: FetcherParams,
): Observable {
  return {
    subscribe(observerOrNext, error, complete) {
      const observer: Observer =
        typeof observerOrNext === "function" || observerOrNext === undefined
          ? {
              next: observerOrNext ?? (() => {}),
              error: error ?? (() => {}),
              complete: complete ?? (() => {}),
            }
          : observerOrNext;
      // GraphiQL shows only the latest result, so number the events to make each arrival visible.
      let received = 0;
      const stop = subscribeRealtime(
        { url, authorization, query: params.query, variables: params.variables as Record<string, unknown> },
        {
          started: () => observer.next({ extensions: { playground: { subscribed: true, received } } }),
          next: (payload: GraphQLPayload) => {
            received += 1;
            observer.next({
              ...(payload as ExecutionResult),
              extensions: { playground: { subscribed: true, received } },
            });
          },
          error: (error) => observer.error(error),
          complete: () => observer.complete(),
        },
      );
      return { unsubscribe: stop };
    },
  };
}
