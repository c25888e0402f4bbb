// The error types a client can branch on, as documented at the top of schema.graphql.
export const ERROR_TYPES = [
  "ValidationError",
  "IdempotencyConflict",
  "IdempotencyInProgress",
  "NotFound",
  "Unauthorized",
  "LimitExceeded",
  "InvalidState",
  "InternalError",
] as const;

export type ErrorType = (typeof ERROR_TYPES)[number];

export type ErrorInfo = Record<string, unknown>;

/** The shape an API handler returns and the resolver turns into `util.error(...)`. */
export type ApiError = { errorType: ErrorType; message: string; errorInfo?: ErrorInfo };

export class PayrailError extends Error {
  override readonly name = "PayrailError";

  constructor(
    readonly errorType: ErrorType,
    message: string,
    readonly errorInfo?: ErrorInfo,
  ) {
    super(message);
  }

  toApiError(): ApiError {
    return this.errorInfo
      ? { errorType: this.errorType, message: this.message, errorInfo: this.errorInfo }
      : { errorType: this.errorType, message: this.message };
  }
}

/** A ValidationError naming the offending field, e.g. `input.amount`. */
export function validationError(field: string, message: string): PayrailError {
  return new PayrailError("ValidationError", `${field}: ${message}`, { field });
}

export function isPayrailError(value: unknown): value is PayrailError {
  return value instanceof PayrailError;
}
