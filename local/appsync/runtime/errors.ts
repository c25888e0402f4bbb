// Errors raised by APPSYNC_JS code, carried to the GraphQL response as AppSync shapes them.

/** A GraphQL error as AppSync reports it, before path/locations are attached. */
export type AppSyncErrorFields = {
  message: string;
  errorType?: string;
  data?: unknown;
  errorInfo?: unknown;
};

/** util.error(): stops the resolver; the field resolves to null with this error. */
export class ResolverError extends Error {
  readonly errorType: string | undefined;
  readonly data: unknown;
  readonly errorInfo: unknown;

  constructor(fields: AppSyncErrorFields) {
    super(fields.message);
    this.errorType = fields.errorType;
    this.data = fields.data ?? null;
    this.errorInfo = fields.errorInfo ?? null;
  }
}

/** util.unauthorized(): AppSync's wording and type for a field the caller may not read. */
export const unauthorizedError = (typeName: string, fieldName: string): ResolverError =>
  new ResolverError({
    message: `Not Authorized to access ${fieldName} on type ${typeName}`,
    errorType: "Unauthorized",
  });

/** runtime.earlyReturn(): unwinds the current handler with a result. */
export class EarlyReturn {
  constructor(
    readonly value: unknown,
    readonly skipTo: "END" | "NEXT",
  ) {}
}

/** A data source failure, exposed to the response handler as ctx.error. */
export class DataSourceError extends Error {
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}
