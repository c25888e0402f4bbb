// Invokes a Payrail API Lambda for a top-level field with the field's own arguments.
import type { Context } from "@aws-appsync/utils";
import { apiAnswer, invokeApi } from "../shared/api-invocation";

export function request(ctx: Context) {
  return invokeApi(ctx, ctx.info.fieldName, ctx.args);
}

export function response(ctx: Context) {
  return apiAnswer(ctx);
}
