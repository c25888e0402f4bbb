// What capturePayment, cancelPayment and refundPayment share: the input's payment id and
// idempotency key checked, the tenant's idempotency store run under a key of the field's
// own (a capture and a refund may reuse a client's key without colliding), and the
// payment row read with NotFound for an unknown id, which is also another tenant's.
import { isPayrailError, PayrailError, validationError } from "../../../core/errors";
import { checkKey, containsCardNumber } from "../../../core/payment-methods";
import type { ApiContext } from "../../api/context";
import { type ApiRequest, type ApiResponse, asResponse, requireAccess } from "../../api/contract";
import { SCOPES } from "../../persistence/control-plane";
import { type Attempt, idempotent, payloadHash } from "../../persistence/idempotency";
import type { TenantStores } from "../../persistence/stores";

export type ActionInput = { paymentId: string; idempotencyKey: string } & Record<string, unknown>;

export const notFound = () => new PayrailError("NotFound", "no such payment");

export function actionInput(request: ApiRequest): ActionInput {
  const input = request.arguments.input as Record<string, unknown> | undefined;
  if (!input || typeof input !== "object") throw validationError("input", "is required");
  checkKey(input.idempotencyKey, "input.idempotencyKey");
  if (containsCardNumber(String(input.idempotencyKey))) {
    throw validationError("input.idempotencyKey", "must not contain a card number");
  }
  const paymentId = input.paymentId;
  if (typeof paymentId !== "string" || paymentId.length === 0 || paymentId.length > 64) throw notFound();
  return input as ActionInput;
}

export type ActionWork = (
  stores: TenantStores,
  input: ActionInput,
  attempt: Attempt,
) => Promise<ApiResponse>;

/**
 * Runs `work` at most once per (field, key): the same key and input answer the first
 * answer again (also an error), another input gets IdempotencyConflict. Domain errors
 * thrown by the work are answered (and remembered), except IdempotencyInProgress (lost
 * races: retry); anything else is thrown, so the key is released for a retry that
 * resumes with the same resource id.
 */
export async function lifecycleAction(
  ctx: ApiContext,
  request: ApiRequest,
  newResourceId: () => string,
  work: ActionWork,
): Promise<ApiResponse> {
  try {
    requireAccess(request, SCOPES.write);
    const input = actionInput(request);
    const tenant = await ctx.stores.tenant(request.tenantId);
    if (!tenant) throw new PayrailError("Unauthorized", "tenant is not provisioned");
    const stores = ctx.stores.forTenant(request.tenantId);
    return await idempotent(
      stores.idempotency,
      {
        key: `${request.field}/${input.idempotencyKey}`,
        payloadHash: payloadHash(input, ctx.stores.secrets.payloadHashSecret),
        newResourceId,
        ttlSeconds: tenant.idempotencyTtlSeconds,
        inProgressMs: ctx.inProgressMs,
        now: () => ctx.now().getTime(),
      },
      async (attempt) => {
        try {
          return await work(stores, input, attempt);
        } catch (error) {
          // "Retry" must not become the key's remembered answer: release the key instead.
          if (isPayrailError(error) && error.errorType === "IdempotencyInProgress") throw error;
          return asResponse(error);
        }
      },
    );
  } catch (error) {
    return asResponse(error);
  }
}
