// onPaymentUpdated: deliver only the subscriber's own tenant's updates (tenant from the
// identity, via tenantFromIdentity), narrowed by the optional paymentId / status.
import { type Context, extensions, util } from "@aws-appsync/utils";

export function request(_ctx: Context) {
  return {};
}

export function response(ctx: Context) {
  const filter: Record<string, { eq: unknown }> = { tenantId: { eq: ctx.stash.caller.tenantId } };
  if (ctx.args.paymentId) filter.paymentId = { eq: ctx.args.paymentId };
  if (ctx.args.status) filter.status = { eq: ctx.args.status };
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter(filter));
  return null;
}
