// What authentication yields for one request (HTTP) or one connection/subscription (WebSocket).
import type { AuthMode } from "../../../api/definition";

export type AuthRequest = {
  /** Lower-cased header names. */
  headers: Record<string, string>;
  method: string;
  path: string;
  body: string;
  sourceIp: string;
  /** For the Lambda authorizer's requestContext. */
  query?: string;
  operationName?: string | null;
  variables?: Record<string, unknown>;
};

export type Caller = {
  mode: AuthMode;
  /** ctx.identity as AppSync builds it for the mode (null for API_KEY). */
  identity: Record<string, unknown> | null;
  /** Fields the Lambda authorizer denied ("Type.field" or AppSync field ARNs). */
  deniedFields: string[];
};

export class AuthError extends Error {
  constructor(
    message: string,
    readonly statusCode = 401,
  ) {
    super(message);
  }
}

/** AppSync's message when credentials are present but rejected. */
export const NOT_AUTHORIZED = "You are not authorized to make this call.";
