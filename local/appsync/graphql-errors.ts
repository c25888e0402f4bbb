// GraphQL errors in AppSync's shape: { path, data, errorType, errorInfo, locations, message }.
import type { GraphQLError, SourceLocation } from "graphql";
import { ResolverError } from "./runtime/errors";

export type AppSyncGraphQLError = {
  path: readonly (string | number)[] | null;
  data?: unknown;
  errorType?: string;
  errorInfo?: unknown;
  locations: { line: number; column: number; sourceName: null }[] | null;
  message: string;
};

export const appSyncLocations = (locations: readonly SourceLocation[] | undefined) =>
  locations?.map(({ line, column }) => ({ line, column, sourceName: null })) ?? null;

/** An execution error: resolver errors keep their type, data and errorInfo. */
export function formatExecutionError(error: GraphQLError): AppSyncGraphQLError {
  const original = error.originalError;
  const resolver = original instanceof ResolverError ? original : undefined;
  return {
    path: error.path ?? null,
    data: resolver?.data ?? null,
    ...(resolver?.errorType ? { errorType: resolver.errorType } : {}),
    errorInfo: resolver?.errorInfo ?? null,
    locations: appSyncLocations(error.locations),
    message: error.message,
  };
}

const VALIDATION_KINDS: [RegExp, string][] = [
  [/^Cannot query field/, "FieldUndefined"],
  [/^Unknown type/, "UnknownType"],
  [/^Unknown argument/, "UnknownArgument"],
  [/argument .* of type .* is required/, "MissingFieldArgument"],
  [/^Variable .* of required type/, "WrongType"],
  [/^(Expected value of type|Invalid|Int cannot|String cannot|Enum)/, "WrongType"],
  [/must have a selection of subfields/, "SubSelectionRequired"],
  [/must not have a selection/, "SubSelectionNotAllowed"],
  [/^Syntax Error/, "InvalidSyntax"],
];

/** A parse or validation error, worded as AppSync's (graphql-java) validator words it. */
export function formatValidationError(error: GraphQLError): AppSyncGraphQLError {
  const kind = VALIDATION_KINDS.find(([pattern]) => pattern.test(error.message))?.[1] ?? "ValidationError";
  return {
    path: null,
    locations: appSyncLocations(error.locations),
    message: `Validation error of type ${kind}: ${error.message}`,
  };
}
