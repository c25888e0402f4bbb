// Runs GraphQL operations against a loaded API: validation and limits first, then
// graphql-js execution where fields with a resolver run their APPSYNC_JS pipeline.
import {
  type DocumentNode,
  defaultFieldResolver,
  execute,
  type FieldNode,
  type GraphQLError,
  type GraphQLFieldResolver,
  getArgumentValues,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  parse,
  responsePathAsArray,
  validate,
} from "graphql";
import type { FieldAuthorizer } from "./auth/field-auth";
import type { Caller } from "./auth/types";
import { type AppSyncGraphQLError, formatExecutionError, formatValidationError } from "./graphql-errors";
import { type QueryLimits, queryDepth, rootFieldCount } from "./limits";
import type { LoadedApi } from "./loaded-api";
import { ResolverError, unauthorizedError } from "./runtime/errors";
import { type DataSourceInvoker, type ResolverContext, runPipeline } from "./runtime/pipeline";
import type { SubscriptionFilter } from "./runtime/transform";
import type { Evaluation } from "./runtime/util";
import { fragmentsOf, restrictToSelection, selectionSetGraphQL, selectionSetList } from "./selection";

export type Prepared = {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  operationName: string | null;
};

export type Invocation = { caller: Caller; headers: Record<string, string>; domainName: string | null };

export type GraphQLResponseBody = { data: unknown; errors?: AppSyncGraphQLError[] };

/** A mutation's result as subscriptions of `subscriptionFields` receive it. */
export type Publication = {
  mutationField: string;
  subscriptionFields: string[];
  data: Record<string, unknown>;
};

export type Invalidation = { subscriptionField: string; payload: Record<string, unknown> };

export type StartedSubscription = {
  fieldName: string;
  args: Record<string, unknown>;
  filter?: SubscriptionFilter;
  invalidationFilter?: SubscriptionFilter;
};

type RequestState = Invocation & {
  appended: AppSyncGraphQLError[];
  resolverCount: number;
  evaluations: Evaluation[];
};

const MAX_INVALIDATIONS = 5;
const MAX_CACHED_QUERIES = 1000;

export function createExecutor(
  api: LoadedApi,
  invoke: DataSourceInvoker,
  fieldAuth: FieldAuthorizer,
  limits: QueryLimits = {},
) {
  const { schema } = api;

  // Parsing and validation depend on the query text alone; clients repeat a few queries.
  const checked = new Map<string, DocumentNode | { errors: AppSyncGraphQLError[] }>();
  const parseAndValidate = (query: string) => {
    const cached = checked.get(query);
    if (cached) return cached;
    let outcome: DocumentNode | { errors: AppSyncGraphQLError[] };
    try {
      const document = parse(query);
      const invalid = validate(schema, document);
      outcome = invalid.length > 0 ? { errors: invalid.map(formatValidationError) } : document;
    } catch (error) {
      outcome = { errors: [formatValidationError(error as GraphQLError)] };
    }
    if (checked.size >= MAX_CACHED_QUERIES) checked.delete(checked.keys().next().value as string);
    checked.set(query, outcome);
    return outcome;
  };

  const prepare = (
    query: unknown,
    variables: unknown,
    operationName: unknown,
  ): Prepared | { errors: AppSyncGraphQLError[] } => {
    if (typeof query !== "string" || query.trim() === "") {
      return { errors: [{ path: null, locations: null, message: "Validation error: a query is required" }] };
    }
    const document = parseAndValidate(query);
    if ("errors" in document) return document;
    const name = typeof operationName === "string" ? operationName : null;
    const operation = getOperationAST(document, name);
    if (!operation) {
      return { errors: [{ path: null, locations: null, message: "Validation error: operation not found" }] };
    }
    if (limits.queryDepthLimit !== undefined && queryDepth(document) > limits.queryDepthLimit) {
      return {
        errors: [
          {
            path: null,
            locations: null,
            message: `Query depth exceeds the limit of ${limits.queryDepthLimit}`,
            errorType: "QueryDepthLimitExceeded",
          } as AppSyncGraphQLError,
        ],
      };
    }
    if (
      operation.operation === "mutation" &&
      limits.mutationFieldLimit !== undefined &&
      rootFieldCount(document, operation) > limits.mutationFieldLimit
    ) {
      return {
        errors: [
          {
            path: null,
            locations: null,
            message: `Mutation root fields (aliases included) exceed the limit of ${limits.mutationFieldLimit} per request`,
            errorType: "MutationFieldLimitExceeded",
          },
        ],
      };
    }
    const vars = variables && typeof variables === "object" ? (variables as Record<string, unknown>) : {};
    return { document, operation, variables: vars, operationName: name };
  };

  const fieldResolver: GraphQLFieldResolver<unknown, RequestState> = (source, args, state, info) => {
    const field = info.parentType.getFields()[info.fieldName];
    if (field && !fieldAuth(state.caller, info.parentType, field)) {
      throw unauthorizedError(info.parentType.name, info.fieldName);
    }
    const pipeline = api.pipelines.get(`${info.parentType.name}.${info.fieldName}`);
    if (!pipeline) return defaultFieldResolver(source, args, state, info);
    state.resolverCount += 1;
    if (limits.resolverCountLimit !== undefined && state.resolverCount > limits.resolverCountLimit) {
      throw new ResolverError({
        message: `Resolver count exceeds the limit of ${limits.resolverCountLimit}`,
        errorType: "ResolverCountLimitExceeded",
      });
    }
    const ctx: ResolverContext = {
      arguments: args,
      args,
      identity: state.caller.identity,
      source: source ?? null,
      stash: {},
      prev: { result: undefined },
      result: undefined,
      error: undefined,
      info: {
        fieldName: info.fieldName,
        parentTypeName: info.parentType.name,
        variables: info.variableValues,
        selectionSetList: selectionSetList(info),
        selectionSetGraphQL: selectionSetGraphQL(info),
      },
      request: { headers: state.headers, domainName: state.domainName },
      env: api.definition.environmentVariables,
    };
    const evaluation: Evaluation = {
      typeName: info.parentType.name,
      fieldName: info.fieldName,
      authType: state.caller.mode,
      appendedErrors: [],
      invalidations: [],
    };
    state.evaluations.push(evaluation);
    const path = responsePathAsArray(info.path);
    return runPipeline(pipeline, ctx, evaluation, api.slot, invoke).finally(() => {
      for (const appended of evaluation.appendedErrors) {
        state.appended.push({
          path,
          data: appended.data ?? null,
          ...(appended.errorType ? { errorType: appended.errorType } : {}),
          errorInfo: appended.errorInfo ?? null,
          locations: info.fieldNodes.map((n) => ({
            line: n.loc?.startToken.line ?? 0,
            column: n.loc?.startToken.column ?? 0,
            sourceName: null,
          })),
          message: appended.message,
        });
      }
    });
  };

  const newState = (invocation: Invocation): RequestState => ({
    ...invocation,
    appended: [],
    resolverCount: 0,
    evaluations: [],
  });

  const executePrepared = (
    prepared: Prepared,
    state: RequestState,
    resolver: GraphQLFieldResolver<unknown, RequestState>,
    rootValue?: Record<string, unknown>,
  ) =>
    execute({
      schema,
      document: prepared.document,
      variableValues: prepared.variables,
      operationName: prepared.operationName,
      contextValue: state,
      fieldResolver: resolver,
      rootValue,
    });

  /** Runs a query or mutation; returns the response body and what it publishes. */
  const run = async (
    prepared: Prepared,
    invocation: Invocation,
  ): Promise<{
    body: GraphQLResponseBody;
    publications: Publication[];
    invalidations: Invalidation[];
    responseHeaders: Record<string, string>;
  }> => {
    const state = newState(invocation);
    const result = await executePrepared(prepared, state, fieldResolver);
    const errors = [...(result.errors ?? []).map(formatExecutionError), ...state.appended];
    if (state.evaluations.reduce((n, e) => n + e.invalidations.length, 0) > MAX_INVALIDATIONS) {
      errors.push({
        path: null,
        locations: null,
        message: `At most ${MAX_INVALIDATIONS} invalidateSubscriptions calls per request`,
      });
    }
    const body: GraphQLResponseBody = { data: result.data ?? null, ...(errors.length ? { errors } : {}) };
    const publications =
      prepared.operation.operation === "mutation" && result.data ? publicationsOf(prepared, result.data) : [];
    return {
      body,
      publications,
      invalidations: state.evaluations.flatMap((e) => e.invalidations),
      // Resolvers add headers in evaluation order; as on AppSync, the latest of a name wins.
      responseHeaders: Object.assign({}, ...state.evaluations.map((e) => e.responseHeaders ?? {})),
    };
  };

  const publicationsOf = (prepared: Prepared, data: Record<string, unknown>): Publication[] => {
    const fragments = fragmentsOf(prepared.document.definitions);
    return prepared.operation.selectionSet.selections.flatMap((selection) => {
      if (selection.kind !== Kind.FIELD) return [];
      const subscriptionFields = api.subscribers.get(selection.name.value);
      const value = data[selection.alias?.value ?? selection.name.value];
      if (!subscriptionFields || value === null || value === undefined) return [];
      const restricted = restrictToSelection(value, selection.selectionSet, fragments) as Record<
        string,
        unknown
      >;
      return [{ mutationField: selection.name.value, subscriptionFields, data: restricted }];
    });
  };

  /** Authorizes a subscription and runs its resolver, which may set enhanced filters. */
  const subscribe = async (
    prepared: Prepared,
    invocation: Invocation,
  ): Promise<StartedSubscription | { errors: AppSyncGraphQLError[] }> => {
    const fail = (message: string, errorType?: string) => ({
      errors: [{ path: null, locations: null, message, ...(errorType ? { errorType } : {}) }],
    });
    if (prepared.operation.operation !== "subscription")
      return fail("Only subscriptions may be started", "UnsupportedOperation");
    const fields = prepared.operation.selectionSet.selections.filter(
      (s): s is FieldNode => s.kind === Kind.FIELD,
    );
    const [node] = fields;
    const type = schema.getSubscriptionType();
    const field = node && type?.getFields()[node.name.value];
    if (!node || !type || !field || fields.length !== 1)
      return fail("A subscription selects exactly one field");
    if (!fieldAuth(invocation.caller, type, field)) {
      return fail(`Not Authorized to access ${field.name} on type ${type.name}`, "Unauthorized");
    }
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, node, prepared.variables);
    } catch (error) {
      return { errors: [formatValidationError(error as GraphQLError)] };
    }
    const state = newState(invocation);
    // Only the root field runs here: its resolver decides who may subscribe and how to filter.
    const result = await executePrepared(prepared, state, (source, a, ctx, info) =>
      info.path.prev ? null : fieldResolver(source, a, ctx, info),
    );
    if (result.errors?.length) return { errors: result.errors.map(formatExecutionError) };
    const evaluation = state.evaluations[0];
    return {
      fieldName: field.name,
      args,
      filter: evaluation?.subscriptionFilter,
      invalidationFilter: evaluation?.invalidationFilter,
    };
  };

  /** The subscriber's view of a publication: its own selection set over the mutation's data. */
  const render = async (
    prepared: Prepared,
    fieldName: string,
    data: Record<string, unknown>,
    invocation: Invocation,
  ) => {
    const result = await executePrepared(prepared, newState(invocation), defaultFieldResolver, {
      [fieldName]: data,
    });
    return {
      data: result.data ?? null,
      ...(result.errors?.length ? { errors: result.errors.map(formatExecutionError) } : {}),
    };
  };

  return { prepare, run, subscribe, render };
}

export type Executor = ReturnType<typeof createExecutor>;
