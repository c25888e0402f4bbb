// capturePayment: takes all or part of an AUTHORIZED payment's hold. The request is
// recorded on the row with its PaymentCaptureRequested (conditional on AUTHORIZED, the
// same sequence, no capture or cancel yet); execution asks the rail and PaymentCaptured
// (EXECUTED, then SETTLED) or PaymentFailed follows.
import { PayrailError, validationError } from "../../../core/errors";
import { createEvent } from "../../../core/events";
import { derivedUuid } from "../../../core/events/derived-id";
import { formatMoney, moneyFromMinor, parseMoney } from "../../../core/money";
import { captureAmount, isAuthorizationExpired } from "../../../core/states";
import type { ApiContext } from "../../api/context";
import type { ApiRequest, ApiResponse } from "../../api/contract";
import { paymentView } from "../../api/view";
import { currentCause } from "../../lifecycle/history-cause";
import { publishPending, recordAction } from "../../lifecycle/record-action";
import type { ActionRecord, PaymentRecord } from "../../persistence/ports/payments";
import { requestLogger } from "../../platform/observability";
import { lifecycleAction, notFound } from "./action";

const MAX_RACES = 3;

export function capturePayment(ctx: ApiContext, request: ApiRequest): Promise<ApiResponse> {
  return lifecycleAction(ctx, request, async (stores, input) => {
    const { paymentId } = input;
    const eventId = derivedUuid("payrail-capture", `${paymentId}/${input.idempotencyKey}`);
    for (let race = 0; race < MAX_RACES; race++) {
      const found = await stores.payments.get(paymentId);
      if (!found) throw notFound();
      const payment = found.payment;
      if (payment.capture?.eventId === eventId) {
        return { data: paymentView(await publishPending(ctx, stores, paymentId)) };
      }
      if (payment.capture)
        throw new PayrailError("InvalidState", "a capture of this payment was already requested");
      if (payment.status !== "AUTHORIZED") {
        throw new PayrailError("InvalidState", `payment is ${payment.status}, not AUTHORIZED`);
      }
      const now = ctx.now();
      if (payment.authorizationExpiresAt && isAuthorizationExpired(payment.authorizationExpiresAt, now)) {
        throw new PayrailError(
          "InvalidState",
          `the authorization expired at ${payment.authorizationExpiresAt} (authorization_expired)`,
          { reason: "authorization_expired" },
        );
      }
      const authorized = BigInt(payment.amountMinor);
      const amount = input.amount;
      if (amount != null && typeof amount !== "string")
        throw validationError("input.amount", "must be a decimal string");
      const asked = amount == null ? undefined : parseMoney(amount, payment.currency, "input.amount").minor;
      const decision = captureAmount(authorized, asked);
      if (!decision.ok) {
        const most = formatMoney(moneyFromMinor(authorized, payment.currency));
        throw validationError(
          "input.amount",
          decision.problem === "not_positive"
            ? "must be greater than zero"
            : `must not exceed the authorized amount ${most} ${payment.currency}`,
        );
      }
      const cause = await currentCause(stores, payment);
      const event = {
        ...createEvent(
          {
            type: "PaymentCaptureRequested",
            cause,
            data: {
              status: "AUTHORIZED",
              amountMinor: decision.capturedMinor.toString(),
              currency: payment.currency,
              requestedBy: request.principal,
            },
          },
          { now },
        ),
        eventId,
      };
      const record: ActionRecord = {
        eventId,
        sequence: event.sequence,
        principal: request.principal,
        at: event.occurredAt,
        amountMinor: event.data.amountMinor,
      };
      const written = await recordAction(ctx, stores, paymentId, {
        expect: { sequence: payment.sequence, status: "AUTHORIZED", absent: ["capture", "cancellation"] },
        set: { capture: record },
        emit: [event],
      });
      if (!written) continue;
      requestLogger(ctx.logger, {
        tenantId: request.tenantId,
        correlationId: payment.correlationId,
        paymentId,
      }).info("capture requested", {
        amountMinor: record.amountMinor,
        requestCorrelationId: request.correlationId,
      });
      const answer: PaymentRecord = { ...payment, capture: record };
      return { data: paymentView(answer) };
    }
    throw new PayrailError("IdempotencyInProgress", "the payment is changing; retry");
  });
}
