// Payment.attempts: the execution's attempt journal of one payment of the caller's tenant,
// resolved per Payment (only when asked for). The table is the tenant's own, so another
// tenant's payment id finds no attempts, as an unknown one does.
import type { PayrailConfig } from "../../core/config";
import { validationError } from "../../core/errors";
import type { PaymentAttempt } from "../../core/generated/graphql";
import { formatMoney, type Money, parseMoney } from "../../core/money";
import { feeFor } from "../../core/processors";
import type { ApiContext } from "../api/context";
import type { ApiRequest, ApiResponse } from "../api/contract";
import { requireAccess } from "../api/contract";
import type { AttemptItem } from "../persistence/ports/attempts";
import { SCOPES } from "../persistence/ports/control-plane";

function attemptView(item: AttemptItem, config: PayrailConfig, amount: Money): PaymentAttempt {
  const personality = config.routing.personalities.get(item.processor);
  const fee = personality ? (feeFor(personality, amount) ?? 0n) : 0n;
  const declineClass = item.state === "HARD_DECLINE" ? "HARD" : item.state === "SOFT_DECLINE" ? "SOFT" : null;
  return {
    attempt: item.attempt,
    processor: item.processor,
    status: declineClass ? "DECLINED" : (item.state as "STARTED" | "APPROVED" | "UNKNOWN"),
    declineCode: item.code ?? null,
    declineClass,
    latencyMs: item.latencyMs ?? null,
    fee: formatMoney({ minor: fee, currency: amount.currency }),
    startedAt: new Date(item.startedAtMs).toISOString(),
    ruleId: item.ruleId,
  };
}

/** `arguments` is the parent Payment's id, amount and currency (resolvers/functions/invoke-payment-field.ts). */
export async function paymentAttempts(
  ctx: ApiContext,
  config: () => Promise<PayrailConfig>,
  request: ApiRequest,
): Promise<ApiResponse> {
  requireAccess(request, SCOPES.read);
  const { paymentId, amount, currency } = request.arguments;
  if (typeof paymentId !== "string" || typeof amount !== "string" || typeof currency !== "string")
    throw validationError("source", "must be a Payment with id, amount and currency");
  const money = parseMoney(amount, currency, "amount");
  const [items, loaded] = await Promise.all([
    ctx.stores.forTenant(request.tenantId).attempts.list(paymentId),
    config(),
  ]);
  return { data: items.map((item) => attemptView(item, loaded, money)) };
}
