// cancelPayment: checks the request and the payment's state, then writes the cancellation
// (../../lifecycle/cancellation: at once for AUTHORIZED and IN_REVIEW, recorded for
// execution to follow for INITIATED and RISK_APPROVED; a payment execution already took
// goes on, as the answer then shows).
import { PayrailError, validationError } from "../../../core/errors";
import { derivedUuid } from "../../../core/events/derived-id";
import { containsCardNumber } from "../../../core/payment-methods";
import { CANCELABLE_STATUSES } from "../../../core/states";
import type { ApiContext } from "../../api/context";
import type { ApiRequest, ApiResponse } from "../../api/contract";
import { paymentView } from "../../api/view";
import { isCancelable, writeCancellation } from "../../lifecycle/cancellation";
import { publishPending } from "../../lifecycle/record-action";
import { requestLogger } from "../../platform/observability";
import { lifecycleAction, notFound } from "./action";

const MAX_RACES = 3;

function reasonOf(value: unknown): string {
  if (typeof value !== "string" || value.trim().length === 0 || value.length > 140) {
    throw validationError("input.reason", "must be 1-140 characters");
  }
  if (containsCardNumber(value)) throw validationError("input.reason", "must not contain a card number");
  return value.trim();
}

export function cancelPayment(ctx: ApiContext, request: ApiRequest): Promise<ApiResponse> {
  return lifecycleAction(ctx, request, async (stores, input) => {
    const { paymentId } = input;
    const reason = reasonOf(input.reason);
    const eventId = derivedUuid("payrail-cancel", `${paymentId}/${input.idempotencyKey}`);
    for (let race = 0; race < MAX_RACES; race++) {
      const found = await stores.payments.get(paymentId);
      if (!found) throw notFound();
      const payment = found.payment;
      if (payment.cancellation?.eventId === eventId) {
        return { data: paymentView(await publishPending(ctx, stores, paymentId)) };
      }
      if (payment.cancellation)
        throw new PayrailError("InvalidState", "the payment's cancellation was already requested");
      if (!isCancelable(payment.status) || payment.capture) {
        throw new PayrailError(
          "InvalidState",
          payment.capture
            ? "the payment's capture was already requested"
            : `payment is ${payment.status}; only ${CANCELABLE_STATUSES.join(", ")} payments can be canceled`,
        );
      }
      const answer = await writeCancellation(
        ctx,
        stores,
        { ...payment, status: payment.status },
        {
          eventId,
          reason,
          principal: request.principal,
        },
      );
      if (!answer) continue;
      requestLogger(ctx.logger, {
        tenantId: request.tenantId,
        correlationId: payment.correlationId,
        paymentId,
      }).info("cancel requested", { from: payment.status, requestCorrelationId: request.correlationId });
      return { data: paymentView(answer) };
    }
    throw new PayrailError("IdempotencyInProgress", "the payment is changing; retry");
  });
}
