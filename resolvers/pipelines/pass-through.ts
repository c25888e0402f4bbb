// A pipeline whose functions do all the work: the result of the last one is the field's.
import type { Context } from "@aws-appsync/utils";

export function request(_ctx: Context) {
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
