// The ApiRequest contract (docs/architecture.md) as APPSYNC_JS builds it for a Payrail API
// Lambda, and its `{ error }` answer turned into a GraphQL error the client can branch on.
// Bundled into each function that imports it (api/appsync-build.ts).
import { type Context, util } from "@aws-appsync/utils";

/** Invoke the API Lambda for `field` with `args`, as the caller the pipeline's first function found. */
export function invokeApi(ctx: Context, field: string, args: unknown) {
  const caller = ctx.stash.caller;
  return {
    operation: "Invoke",
    payload: {
      field,
      tenantId: caller.tenantId,
      scopes: caller.scopes,
      principal: caller.principal,
      arguments: args,
      correlationId: ctx.stash.correlationId,
    },
  };
}

export function apiAnswer(ctx: Context) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  const error = ctx.result?.error;
  if (error) util.error(error.message, error.errorType, null, error.errorInfo);
  return ctx.result?.data;
}
