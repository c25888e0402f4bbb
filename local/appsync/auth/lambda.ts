// AWS_LAMBDA authorization: the authorizer handler gets AppSync's event; answers are
// cached per token for ttlOverride (or the configured TTL) seconds.
import type { HandlerLoader } from "../lambda-handlers";
import { AuthError, type AuthRequest, type Caller, NOT_AUTHORIZED } from "./types";

type AuthorizerResponse = {
  isAuthorized?: boolean;
  resolverContext?: Record<string, unknown>;
  deniedFields?: string[];
  ttlOverride?: number;
};
export type LambdaAuthorizerOptions = {
  loadHandler: HandlerLoader;
  apiId: string;
  ttlSeconds: number;
  identityValidationExpression?: string;
  onFailure?: (error: unknown) => void;
};

export function createLambdaAuthorizer(options: LambdaAuthorizerOptions) {
  const cache = new Map<string, { caller: Caller | null; expiresAt: number }>();
  const validation = options.identityValidationExpression
    ? new RegExp(options.identityValidationExpression)
    : undefined;

  return async (token: string, request: AuthRequest): Promise<Caller> => {
    if (validation && !validation.test(token)) throw new AuthError(NOT_AUTHORIZED);
    const cached = cache.get(token);
    if (cached && cached.expiresAt > Date.now()) {
      if (!cached.caller) throw new AuthError(NOT_AUTHORIZED);
      return cached.caller;
    }
    const event = {
      authorizationToken: token,
      requestContext: {
        apiId: options.apiId,
        accountId: "000000000000",
        requestId: crypto.randomUUID(),
        queryString: request.query ?? "",
        operationName: request.operationName ?? undefined,
        variables: request.variables ?? {},
      },
      requestHeaders: request.headers,
    };
    const context = { functionName: "authorizer", awsRequestId: event.requestContext.requestId };
    let response: AuthorizerResponse;
    try {
      response = (await (await options.loadHandler())(event, context)) as AuthorizerResponse;
    } catch (error) {
      // AppSync answers an authorizer that fails exactly like one that says no; the log says why.
      options.onFailure?.(error);
      throw new AuthError(NOT_AUTHORIZED);
    }
    const caller: Caller | null = response?.isAuthorized
      ? {
          mode: "AWS_LAMBDA",
          identity: { resolverContext: response.resolverContext ?? {} },
          deniedFields: response.deniedFields ?? [],
        }
      : null;
    const ttl = response?.ttlOverride ?? options.ttlSeconds;
    if (ttl > 0) cache.set(token, { caller, expiresAt: Date.now() + ttl * 1000 });
    if (!caller) throw new AuthError(NOT_AUTHORIZED);
    return caller;
  };
}
