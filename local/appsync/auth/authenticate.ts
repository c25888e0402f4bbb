// Chooses the auth mode of a request from its headers, as AppSync does with several
// modes enabled, and verifies the credentials with that mode.
import type { ApiDefinition, AuthMode } from "../../../api/definition";
import { handlerLoader, type LambdaHandlers } from "../lambda-handlers";
import { createIamVerifier, type IamCredential, isSigV4 } from "./iam";
import { createLambdaAuthorizer } from "./lambda";
import { createOidcVerifier, isJwtFrom, type OidcOptions } from "./oidc";
import { AuthError, type AuthRequest, type Caller, NOT_AUTHORIZED } from "./types";

export type AuthOptions = {
  api: ApiDefinition;
  oidc?: OidcOptions;
  iamCredentials?: IamCredential[];
  apiKeys?: string[];
  handlers?: LambdaHandlers;
  onAuthorizerFailure?: (error: unknown) => void;
};

export type Authenticator = {
  authenticate: (request: AuthRequest) => Promise<Caller>;
  /** The API's default mode: fields without auth directives allow only this one. */
  defaultMode: AuthMode;
};

export function createAuthenticator(options: AuthOptions): Authenticator {
  const { api } = options;
  const providers = [api.authentication.default, ...api.authentication.additional];
  const lambdaProvider = providers.find((p) => p.mode === "AWS_LAMBDA");
  const modes = new Set<AuthMode>(providers.map((p) => p.mode));
  if (options.apiKeys?.length) modes.add("API_KEY");

  const lambda =
    lambdaProvider?.mode === "AWS_LAMBDA"
      ? createLambdaAuthorizer({
          loadHandler: handlerLoader(api, lambdaProvider.handler, options.handlers),
          apiId: api.name,
          ttlSeconds: lambdaProvider.resultsCacheTtlSeconds,
          identityValidationExpression: lambdaProvider.identityValidationExpression,
          onFailure: options.onAuthorizerFailure,
        })
      : undefined;
  const oidc = modes.has("OPENID_CONNECT") && options.oidc ? createOidcVerifier(options.oidc) : undefined;
  const iam = modes.has("AWS_IAM") ? createIamVerifier(options.iamCredentials ?? []) : undefined;
  const apiKeys = new Set(options.apiKeys ?? []);

  const authenticate = async (request: AuthRequest): Promise<Caller> => {
    const apiKey = request.headers["x-api-key"];
    const authorization = request.headers.authorization;
    if (apiKey !== undefined && modes.has("API_KEY")) {
      if (!apiKeys.has(apiKey)) throw new AuthError(NOT_AUTHORIZED);
      return { mode: "API_KEY", identity: null, deniedFields: [] };
    }
    if (!authorization) throw new AuthError("Valid authorization header not provided.");
    if (isSigV4(authorization)) {
      if (!iam) throw new AuthError(NOT_AUTHORIZED);
      return iam(request);
    }
    if (oidc && options.oidc && (isJwtFrom(authorization, options.oidc.issuer) || !lambda)) {
      return oidc(authorization);
    }
    if (lambda) return lambda(authorization, request);
    throw new AuthError(NOT_AUTHORIZED);
  };

  return { authenticate, defaultMode: api.authentication.default.mode };
}
