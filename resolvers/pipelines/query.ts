// A query pipeline: the last function's result is the field's, and the answer may be
// kept by the caller's HTTP cache (never a shared one: it is one tenant's data) for as
// long as AppSync caches it per tenant.
import { type Context, util } from "@aws-appsync/utils";

export function request(_ctx: Context) {
  return {};
}

export function response(ctx: Context) {
  util.http.addResponseHeader("Cache-Control", `private, max-age=${ctx.env.QUERY_MAX_AGE_SECONDS}`);
  return ctx.prev.result;
}
