// publishPaymentUpdate: the NONE data source echoes the status service's input, which
// AppSync then fans out to onPaymentUpdated subscribers.
import type { Context } from "@aws-appsync/utils";

export function request(ctx: Context) {
  return { payload: ctx.args.input };
}

export function response(ctx: Context) {
  return ctx.result;
}
