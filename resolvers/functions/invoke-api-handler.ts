// Invokes a Payrail API Lambda with the ApiRequest contract (docs/architecture.md) and
// turns its `{ error }` answer into a GraphQL error the client can branch on.
import { type Context, util } from "@aws-appsync/utils";

export function request(ctx: Context) {
  const caller = ctx.stash.caller;
  return {
    operation: "Invoke",
    payload: {
      field: ctx.info.fieldName,
      tenantId: caller.tenantId,
      scopes: caller.scopes,
      principal: caller.principal,
      arguments: ctx.args,
      correlationId: ctx.stash.correlationId,
    },
  };
}

export function response(ctx: Context) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  const error = ctx.result?.error;
  if (error) util.error(error.message, error.errorType, null, error.errorInfo);
  return ctx.result?.data;
}
