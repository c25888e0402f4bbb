// Invokes the paymentsApi Lambda for a field of a Payment (Payment.attempts): the field's
// arguments are the parent payment's id, amount and currency, the tenant the caller's.
import type { Context } from "@aws-appsync/utils";
import { apiAnswer, invokeApi } from "../shared/api-invocation";

export function request(ctx: Context) {
  const payment = ctx.source;
  return invokeApi(ctx, `Payment.${ctx.info.fieldName}`, {
    paymentId: payment.id,
    amount: payment.amount,
    currency: payment.currency,
  });
}

export function response(ctx: Context) {
  return apiAnswer(ctx);
}
