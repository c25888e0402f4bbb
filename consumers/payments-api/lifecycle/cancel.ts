// cancelPayment. An AUTHORIZED or IN_REVIEW payment waits on nobody but the API, so its
// PaymentCanceled is written with the cancellation (conditional on the status, the same
// sequence and no capture, review or other cancel yet), and execution releases a hold.
// An INITIATED or RISK_APPROVED one is on its way through risk and execution: the
// cancellation is recorded on the row and execution emits PaymentCanceled instead of
// calling the rail (a payment execution already took goes on, as the answer then shows).
import { PayrailError, validationError } from "../../../core/errors";
import { createEvent } from "../../../core/events";
import { derivedUuid } from "../../../core/events/derived-id";
import { containsCardNumber } from "../../../core/payment-methods";
import { CANCELABLE_STATUSES } from "../../../core/states";
import type { ApiContext } from "../../api/context";
import type { ApiRequest, ApiResponse } from "../../api/contract";
import { paymentView } from "../../api/view";
import type { ActionRecord, PaymentChange, PaymentRecord } from "../../persistence/payments";
import type { TenantStores } from "../../persistence/stores";
import { requestLogger } from "../../platform/observability";
import { lifecycleAction, notFound } from "./action";
import { currentCause } from "./history-cause";
import { publishPending, recordAction } from "./record-action";

const MAX_RACES = 3;

function reasonOf(value: unknown): string {
  if (typeof value !== "string" || value.trim().length === 0 || value.length > 140) {
    throw validationError("input.reason", "must be 1-140 characters");
  }
  if (containsCardNumber(value)) throw validationError("input.reason", "must not contain a card number");
  return value.trim();
}

type Cancelable = "INITIATED" | "RISK_APPROVED" | "IN_REVIEW" | "AUTHORIZED";
export const isCancelable = (status: string): status is Cancelable =>
  (CANCELABLE_STATUSES as readonly string[]).includes(status);

/**
 * Writes the cancellation of a cancelable payment (see the top of the file) and answers
 * the payment as it will be; undefined when the row changed under it (read it again).
 * The authorization sweeper (./expire) cancels through it too.
 */
export async function writeCancellation(
  ctx: ApiContext,
  stores: TenantStores,
  payment: PaymentRecord & { status: Cancelable },
  action: { eventId: string; reason: string; principal: string },
): Promise<PaymentRecord | undefined> {
  const { eventId, reason, principal } = action;
  const now = ctx.now();
  const record: ActionRecord = {
    eventId,
    sequence: payment.sequence + 1,
    principal,
    at: now.toISOString(),
    reason,
  };
  const direct = payment.status === "AUTHORIZED" || payment.status === "IN_REVIEW";
  const change: PaymentChange<never> = {
    expect: {
      sequence: payment.sequence,
      status: payment.status,
      absent: direct ? ["capture", "cancellation", "review"] : ["cancellation"],
    },
    set: { cancellation: record },
  };
  const recorded: PaymentRecord = { ...payment, cancellation: record };
  if (!direct) return (await recordAction(ctx, stores, payment.paymentId, change)) ? recorded : undefined;
  const cause = await currentCause(stores, payment);
  const event = {
    ...createEvent(
      {
        type: "PaymentCanceled",
        cause,
        data: { status: "CANCELED", reason, canceledBy: principal, previousStatus: payment.status },
      },
      { now },
    ),
    eventId,
  };
  if (!(await recordAction(ctx, stores, payment.paymentId, { ...change, emit: [event] }))) return undefined;
  return { ...recorded, status: "CANCELED", reason, sequence: event.sequence, updatedAt: event.occurredAt };
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
