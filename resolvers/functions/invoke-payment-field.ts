// Invokes the paymentsApi Lambda for a field of a Payment (Payment.attempts): the field's
// arguments are the parent payment's id, amount and currency, the tenant the caller's.
import { type Context, util } from "@aws-appsync/utils";

export function request(ctx: Context) {
  const caller = ctx.stash.caller;
  return {
    operation: "Invoke",
    payload: {
      field: `Payment.${ctx.info.fieldName}`,
      tenantId: caller.tenantId,
      scopes: caller.scopes,
      principal: caller.principal,
      arguments: { paymentId: ctx.source.id, amount: ctx.source.amount, currency: ctx.source.currency },
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
