// Puts the caller (tenant, scopes, principal) and a correlation id in the stash.
// The tenant comes from the identity only: Lambda authorizer resolverContext, or the
// OIDC `tenant_id` claim. Never from arguments.
import { type Context, util } from "@aws-appsync/utils";

type Caller = { tenantId: string; scopes: string[]; principal: string };
type Claims = { tenant_id?: string; scope?: string };
type IdentityShape = {
  sub?: string;
  claims?: Claims;
  resolverContext?: { tenantId?: string; scopes?: string; principal?: string };
};

// Authorizer scopes are comma-separated; an OAuth `scope` claim is space-separated.
const splitScopes = (scopes: unknown, separator: string): string[] =>
  typeof scopes === "string" && scopes.length > 0 ? scopes.split(separator) : [];

const callerOf = (identity: IdentityShape | null | undefined): Caller | null => {
  const lambda = identity?.resolverContext;
  if (lambda?.tenantId) {
    return {
      tenantId: lambda.tenantId,
      scopes: splitScopes(lambda.scopes, ","),
      principal: lambda.principal ?? "",
    };
  }
  const claims = identity?.claims;
  if (claims?.tenant_id) {
    return {
      tenantId: claims.tenant_id,
      scopes: splitScopes(claims.scope, " "),
      principal: identity?.sub ?? "",
    };
  }
  return null;
};

export function request(ctx: Context) {
  const caller = callerOf(ctx.identity as IdentityShape | null);
  if (!caller) util.unauthorized();
  ctx.stash.caller = caller;
  ctx.stash.correlationId =
    (ctx.args.input as { correlationId?: string } | undefined)?.correlationId ??
    ctx.request?.headers?.["x-correlation-id"] ??
    util.autoId();
  return { payload: null };
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
