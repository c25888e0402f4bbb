// One error class per `errorType` of the Payrail API (schema.graphql, "Errors"), so an app
// branches with `instanceof` instead of comparing strings. Every class keeps the server's
// message, `errorType` and `errorInfo`.

/** What a GraphQL error looks like on the wire from AppSync (and as aws-amplify hands it on). */
export type WireError = {
  message?: string;
  errorType?: string;
  errorInfo?: Record<string, unknown> | null;
  path?: readonly (string | number)[];
  originalError?: { name?: string; message?: string } | null;
};

export class PayrailError extends Error {
  override name = "PayrailError";
  readonly errorType: string;
  readonly errorInfo: Record<string, unknown>;
  readonly path?: readonly (string | number)[];

  constructor(
    errorType: string,
    message: string,
    errorInfo: Record<string, unknown> = {},
    path?: WireError["path"],
  ) {
    super(message);
    this.errorType = errorType;
    this.errorInfo = errorInfo;
    this.path = path;
  }

  /** Whether the same request (with the same idempotency key) may be sent again. */
  get retryable(): boolean {
    return false;
  }
}

/** The input is malformed; `field` names it (e.g. `input.amount`). */
export class ValidationError extends PayrailError {
  override name = "ValidationError";
  get field(): string | undefined {
    const field = this.errorInfo.field;
    return typeof field === "string" ? field : undefined;
  }
}

/** The idempotency key was already used with a different payload. */
export class IdempotencyConflict extends PayrailError {
  override name = "IdempotencyConflict";
}

/** An error the client retries by itself, with the same idempotency key. */
abstract class RetryableError extends PayrailError {
  override get retryable(): boolean {
    return true;
  }
}

/** A request with the same key is still being processed; retried automatically. */
export class IdempotencyInProgress extends RetryableError {
  override name = "IdempotencyInProgress";
}

/** No such payment for this tenant (also another tenant's payment). */
export class NotFound extends PayrailError {
  override name = "NotFound";
}

/** Missing, invalid or insufficient credentials. */
export class Unauthorized extends PayrailError {
  override name = "Unauthorized";
}

/** A tenant limit or rate limit was hit; `errorInfo` says which. */
export class LimitExceeded extends PayrailError {
  override name = "LimitExceeded";
}

/** The payment's state does not allow the action (e.g. approve when not IN_REVIEW). */
export class InvalidState extends PayrailError {
  override name = "InvalidState";
}

/** Payrail failed; retried automatically with the same idempotency key. */
export class InternalError extends RetryableError {
  override name = "InternalError";
}

/** The request did not get an answer (network down, connection reset); retried automatically. */
export class TransportError extends RetryableError {
  override name = "TransportError";
}

type ErrorClass = new (...args: ConstructorParameters<typeof PayrailError>) => PayrailError;

const BY_ERROR_TYPE: Record<string, ErrorClass> = {
  ValidationError,
  IdempotencyConflict,
  IdempotencyInProgress,
  NotFound,
  Unauthorized,
  LimitExceeded,
  InvalidState,
  InternalError,
  // AppSync's own names for the same failures (HTTP 401, throttling).
  UnauthorizedException: Unauthorized,
  LimitExceededException: LimitExceeded,
};

/** AppSync refuses credentials and throttles with a bare HTTP status, which Amplify keeps here. */
function httpStatusOf(wire: WireError): number | undefined {
  const original = wire.originalError as
    | { _response?: { statusCode?: number }; $metadata?: { httpStatusCode?: number } }
    | null
    | undefined;
  return original?._response?.statusCode ?? original?.$metadata?.httpStatusCode;
}

const BY_HTTP_STATUS: Record<number, [ErrorClass, string, string]> = {
  401: [Unauthorized, "Unauthorized", "the API refused the credentials (HTTP 401): check the token"],
  403: [Unauthorized, "Unauthorized", "the API refused the credentials (HTTP 403): check the token"],
  429: [LimitExceeded, "LimitExceeded", "the API throttled the request (HTTP 429): slow down"],
};

/** The typed error for one GraphQL error. */
export function fromWireError(wire: WireError): PayrailError {
  const byStatus = wire.errorType ? undefined : BY_HTTP_STATUS[httpStatusOf(wire) ?? 0];
  if (byStatus) {
    const [Class, errorType, message] = byStatus;
    return new Class(errorType, message, {}, wire.path);
  }
  const message = wire.message ?? "unknown error";
  // Without an errorType the request failed below GraphQL: Amplify names the HTTP failure.
  const errorType = wire.errorType ?? wire.originalError?.name;
  if (!errorType || (!wire.errorType && !BY_ERROR_TYPE[errorType]))
    return new TransportError("TransportError", message, {}, wire.path);
  const Class = BY_ERROR_TYPE[errorType] ?? PayrailError;
  return new Class(errorType, message, wire.errorInfo ?? {}, wire.path);
}

/**
 * The typed error for whatever aws-amplify threw or a subscription emitted: a GraphQL result
 * with `errors` (the first one decides), or anything else (a transport failure).
 */
export function toPayrailError(thrown: unknown): PayrailError {
  if (thrown instanceof PayrailError) return thrown;
  const errors = (thrown as { errors?: WireError[] } | null)?.errors;
  if (Array.isArray(errors) && errors[0]) return fromWireError(errors[0]);
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new TransportError("TransportError", message);
}
