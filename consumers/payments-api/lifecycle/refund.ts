// refundPayment and the refund(id) query. A refund is accepted by one conditional write
// on the payment row (./../../persistence/refunds): its amount reserved out of what is
// refundable, its two sequences handed out (RefundRequested now, its answer next), and
// its RefundRequested in the outbox. A lost race (another refund came first) reads the
// row again, so concurrent refunds are served one after another and never over-refund.
// The refund id carries its payment's: `ref_<payment ulid>_<26 characters from the key>`.
import { createHash } from "node:crypto";
import { PayrailError, validationError } from "../../../core/errors";
import { createEvent } from "../../../core/events";
import { derivedUuid } from "../../../core/events/derived-id";
import type { RefundReason } from "../../../core/events/types";
import { formatMoney, moneyFromMinor, parseMoney } from "../../../core/money";
import type { ApiContext } from "../../api/context";
import { type ApiRequest, type ApiResponse, requireAccess } from "../../api/contract";
import { refundView } from "../../api/view";
import { currentCause } from "../../lifecycle/history-cause";
import { publishPending } from "../../lifecycle/record-action";
import { SCOPES } from "../../persistence/ports/control-plane";
import type { RefundRecord } from "../../persistence/ports/payments";
import { traced } from "../../platform/observability";
import { lifecycleAction, notFound } from "./action";

const REASONS: readonly RefundReason[] = ["REQUESTED_BY_CUSTOMER", "DUPLICATE", "FRAUDULENT", "OTHER"];
/** Lost races are bounded: each one means another refund of the payment was accepted. */
const MAX_RACES = 50;
const PAYMENT_ID = /^pay_([0-9A-Z]{26})$/;
const REFUND_ID = /^ref_([0-9A-Z]{26})_[0-9A-Z]{26}$/;

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * The refund's id from its payment and idempotency key, so that a retry of a request that
 * died before its idempotency record was written finds the refund it reserved.
 */
function refundIdOf(paymentId: string, idempotencyKey: string): string {
  const match = PAYMENT_ID.exec(paymentId);
  if (!match) throw notFound();
  const digest = createHash("sha256").update(`${paymentId}/${idempotencyKey}`).digest();
  const suffix = Array.from({ length: 26 }, (_, i) => CROCKFORD[(digest[i] ?? 0) % 32]).join("");
  return `ref_${match[1]}_${suffix}`;
}

const paymentOfRefund = (refundId: string): string | undefined => {
  const match = REFUND_ID.exec(refundId);
  return match ? `pay_${match[1]}` : undefined;
};

export function refundPayment(ctx: ApiContext, request: ApiRequest): Promise<ApiResponse> {
  return lifecycleAction(ctx, request, async (stores, input) => {
    if (!PAYMENT_ID.test(input.paymentId)) throw notFound();
    const refundId = refundIdOf(input.paymentId, input.idempotencyKey);
    const reason = input.reason as RefundReason;
    if (!REASONS.includes(reason))
      throw validationError("input.reason", `must be one of ${REASONS.join(", ")}`);
    if (input.amount != null && typeof input.amount !== "string") {
      throw validationError("input.amount", "must be a decimal string");
    }
    for (let race = 0; race < MAX_RACES; race++) {
      const found = await stores.payments.get(input.paymentId);
      if (!found) throw notFound();
      const payment = found.payment;
      const earlier = payment.refunds?.[refundId];
      if (earlier) {
        // An interrupted attempt accepted it: publish what it left, answer the same.
        await publishPending(ctx, stores, payment.paymentId);
        return { data: refundView(payment.paymentId, earlier) };
      }
      if (payment.status !== "SETTLED") {
        throw new PayrailError(
          "InvalidState",
          payment.status === "REFUNDED"
            ? "payment is REFUNDED: nothing left to refund"
            : `payment is ${payment.status}; refunds need a SETTLED payment`,
        );
      }
      const refundable = BigInt(payment.refundableMinor ?? 0);
      const money = (minor: bigint) =>
        `${formatMoney(moneyFromMinor(minor, payment.currency))} ${payment.currency}`;
      const amount =
        input.amount == null ? refundable : parseMoney(input.amount, payment.currency, "input.amount").minor;
      if (amount <= 0n) {
        throw validationError(
          "input.amount",
          refundable === 0n ? "nothing is refundable now (0 left)" : "must be greater than zero",
        );
      }
      if (amount > refundable) {
        throw validationError("input.amount", `must not exceed the refundable amount ${money(refundable)}`);
      }
      const base = Math.max(payment.sequence, payment.allocatedSequence ?? 0);
      const settled = await currentCause(stores, payment);
      const now = ctx.now();
      // The refund's request takes the next free sequence, its answer the one after.
      const event = {
        ...createEvent(
          {
            type: "RefundRequested",
            cause: { ...settled, sequence: base },
            data: {
              status: "SETTLED",
              refundId,
              amountMinor: amount.toString(),
              currency: payment.currency,
              reason,
              requestedBy: request.principal,
            },
          },
          { now },
        ),
        eventId: derivedUuid("payrail-refund", refundId),
      };
      const refund: RefundRecord = {
        refundId,
        amountMinor: amount.toString(),
        currency: payment.currency,
        status: "PENDING",
        reason,
        sequence: event.sequence,
        eventId: event.eventId,
        principal: request.principal,
        createdAt: event.occurredAt,
        updatedAt: event.occurredAt,
      };
      const reserved = await traced(ctx.tracer, "refunds.reserve", () =>
        stores.refunds.reserve(payment.paymentId, {
          refund,
          seenAllocated: payment.allocatedSequence,
          allocated: base + 2,
          emit: [event],
        }),
      );
      if (!reserved) continue;
      await publishPending(ctx, stores, payment.paymentId);
      return { data: refundView(payment.paymentId, refund) };
    }
    throw new PayrailError("IdempotencyInProgress", "the payment is changing; retry");
  });
}

export async function refund(ctx: ApiContext, request: ApiRequest): Promise<ApiResponse> {
  requireAccess(request, SCOPES.read);
  const refundId = request.arguments.id;
  const paymentId = typeof refundId === "string" ? paymentOfRefund(refundId) : undefined;
  if (!paymentId || typeof refundId !== "string") return { data: null };
  const found = await ctx.stores.forTenant(request.tenantId).payments.get(paymentId);
  const stored = found?.payment.refunds?.[refundId];
  return { data: stored ? refundView(paymentId, stored) : null };
}
