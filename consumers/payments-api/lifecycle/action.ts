// What capturePayment, cancelPayment and refundPayment share: the input's payment id and
// idempotency key checked, the tenant's idempotency store run under a key of the field's
// own (a capture and a refund may reuse a client's key without colliding), and the
// payment row read with NotFound for an unknown id, which is also another tenant's.
//
// The work is a conditional write on the payment row whose identity comes from the key
// (the capture's or cancel's event id, the refund id), so it happens at most once per key
// even when the request dies before its idempotency record is written: a retry finds the
// row's own earlier write and answers it again. The record (with that answer) is read
// first and written after, so a used key answers without running the work at all.
import { isPayrailError, PayrailError, validationError } from "../../../core/errors";
import { checkKey, containsCardNumber } from "../../../core/payment-methods";
import type { ApiContext } from "../../api/context";
import { type ApiRequest, type ApiResponse, asResponse, requireAccess } from "../../api/contract";
import { decide, IDEMPOTENCY_CONFLICT, idempotent, payloadHash } from "../../api/idempotent";
import { SCOPES } from "../../persistence/ports/control-plane";
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

export type ActionWork = (stores: TenantStores, input: ActionInput) => Promise<ApiResponse>;

/**
 * Runs `work` for a (field, key) not answered yet: the same key and input answer the first
 * answer again (also an error), another input gets IdempotencyConflict. Domain errors
 * thrown by the work are answered (and remembered), except IdempotencyInProgress (lost
 * races: retry); anything else is thrown, so nothing is remembered and a retry runs the
 * work again, which finds what it wrote before.
 */
export async function lifecycleAction(
  ctx: ApiContext,
  request: ApiRequest,
  work: ActionWork,
): Promise<ApiResponse> {
  try {
    requireAccess(request, SCOPES.write);
    const input = actionInput(request);
    const tenant = await ctx.stores.tenant(request.tenantId);
    if (!tenant) throw new PayrailError("Unauthorized", "tenant is not provisioned");
    const stores = ctx.stores.forTenant(request.tenantId);
    const key = `${request.field}/${input.idempotencyKey}`;
    const hash = payloadHash(input, ctx.stores.secrets.payloadHashSecret);
    const now = () => ctx.now().getTime();
    const used = await stores.idempotency.get(key, Math.floor(now() / 1000));
    if (used) {
      const decision = decide(used, hash);
      return decision.kind === "conflict" ? IDEMPOTENCY_CONFLICT : decision.record.response;
    }
    return await idempotent(
      stores.idempotency,
      stores.writeTogether,
      // The work publishes before it answers: nothing is left to publish on a replay.
      { key, payloadHash: hash, ttlSeconds: tenant.idempotencyTtlSeconds, publishingMs: 0, now },
      async () => {
        try {
          return { response: await work(stores, input), writes: [] };
        } catch (error) {
          // Only a domain answer is remembered: neither "retry" nor a failure (say, a publish
          // that did not reach Kafka) may become the key's answer; a retry resumes instead.
          if (!isPayrailError(error) || error.errorType === "IdempotencyInProgress") throw error;
          return { response: asResponse(error), writes: [] };
        }
      },
      async (record) => record.response,
    );
  } catch (error) {
    return asResponse(error);
  }
}
