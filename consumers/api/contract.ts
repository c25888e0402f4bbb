// The payload the AppSync resolvers send to the API Lambdas and what they answer
// (docs/architecture.md, "API handlers"). The tenant is the one the caller's identity
// gave; a handler never takes a tenant from `arguments`.
import { TENANT_ID } from "../../core/config/patterns";
import { isPayrailError, PayrailError } from "../../core/errors";

export type ApiErrorBody = { errorType: string; message: string; errorInfo?: Record<string, unknown> };
export type ApiResponse = { data: unknown } | { error: ApiErrorBody };

export type ApiRequest = {
  field: string;
  tenantId: string;
  scopes: string[];
  principal: string;
  arguments: Record<string, unknown>;
  correlationId: string;
};

/** Throws Unauthorized unless the request names a well-formed tenant and holds `scope`. */
export function requireAccess(request: ApiRequest, scope: string): void {
  if (typeof request.tenantId !== "string" || !TENANT_ID.test(request.tenantId)) {
    throw new PayrailError("Unauthorized", "no tenant in the caller's identity");
  }
  if (!Array.isArray(request.scopes) || !request.scopes.includes(scope)) {
    throw new PayrailError("Unauthorized", `this operation needs the ${scope} scope`);
  }
}

export const errorResponse = (error: PayrailError): ApiResponse => ({ error: error.toApiError() });

/** Payrail's own failures answer with a generic InternalError; the detail goes to the log only. */
export const INTERNAL_ERROR: ApiResponse = {
  error: { errorType: "InternalError", message: "Payrail failed; retry with the same idempotency key" },
};

/** Domain errors become responses; anything else is rethrown for the caller's catch-all. */
export function asResponse(error: unknown): ApiResponse {
  if (isPayrailError(error) && error.errorType !== "InternalError") return errorResponse(error);
  throw error;
}
