// refundPayment and the refund(id) query. A refund is accepted by one conditional write
// on the payment row (./../../persistence/refunds): its amount reserved out of what is
// refundable, its two sequences handed out (RefundRequested now, its answer next), and
// its RefundRequested in the outbox. A lost race (another refund came first) reads the
// row again, so concurrent refunds are served one after another and never over-refund.
// The refund id carries its payment's: `ref_<payment ulid>_<26 characters from the key>`.
//
// A SETTLED payment can be refunded on every rail; an EXECUTED one only where the rail
// refunds before settlement (`refundBeforeSettlement` in config/processors.yaml: cards and
// instant rails yes, SEPA/ACH banks no). Such a refund leaves the payment's next sequence to
// its PaymentSettled, and its answer follows SETTLED (consumers/execution/refund-outcome).
import { createHash } from "node:crypto";
import type { PayrailConfig } from "../../../core/config";
import { PayrailError, validationError } from "../../../core/errors";
import { createEvent } from "../../../core/events";
import { derivedUuid } from "../../../core/events/derived-id";
import type { RefundReason } from "../../../core/events/types";
import { formatMoney, moneyFromMinor, parseMoney } from "../../../core/money";
import { refundSettlementMs, refundsBeforeSettlement } from "../../../core/processors";
import { refundableMinor } from "../../../core/states";
import type { ApiContext } from "../../api/context";
import { type ApiRequest, type ApiResponse, requireAccess } from "../../api/contract";
import { capturedMinorOf, refundLedger } from "../../api/refund-ledger";
import { refundView } from "../../api/view";
import { currentCause } from "../../lifecycle/history-cause";
import { publishPending } from "../../lifecycle/record-action";
import { SCOPES } from "../../persistence/ports/control-plane";
import type { PaymentRecord, RefundRecord } from "../../persistence/ports/payments";
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

/** Why a payment cannot be refunded now; undefined when it can. */
function refusal(
  payment: PaymentRecord,
  personalities: PayrailConfig["routing"]["personalities"],
): PayrailError | undefined {
  if (payment.status === "SETTLED") return undefined;
  if (payment.status === "REFUNDED")
    return new PayrailError("InvalidState", "payment is REFUNDED: nothing left to refund");
  if (payment.status === "EXECUTED") {
    const processor = payment.processor ?? "its processor";
    if (refundsBeforeSettlement(personalities.get(processor))) return undefined;
    return new PayrailError(
      "InvalidState",
      `payment is EXECUTED and ${processor} (${payment.paymentType}) refunds only SETTLED payments: a bank transfer is refunded once it settled; retry after SETTLED`,
      { reason: "not_settled" },
    );
  }
  return new PayrailError(
    "InvalidState",
    `payment is ${payment.status}; refunds need a SETTLED payment (or EXECUTED, where the rail refunds before settlement)`,
  );
}

export function refundPayment(
  ctx: ApiContext,
  request: ApiRequest,
  config: () => Promise<PayrailConfig>,
): Promise<ApiResponse> {
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
      const { personalities } = (await config()).routing;
      const refused = refusal(payment, personalities);
      if (refused) throw refused;
      const executed = payment.status === "EXECUTED";
      // Its answer waits for the sweeper: a bank's settlement day, or the payment's SETTLED.
      const waits = executed || refundSettlementMs(personalities.get(payment.processor ?? "")) > 0;
      // Before SETTLED no ledger may exist yet: what was captured less what earlier refunds took.
      const refundable =
        payment.refundableMinor === undefined
          ? refundableMinor(refundLedger(payment))
          : BigInt(payment.refundableMinor);
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
      // An EXECUTED payment's next sequence is its PaymentSettled's.
      const base = Math.max(payment.sequence + (executed ? 1 : 0), payment.allocatedSequence ?? 0);
      const settled = await currentCause(stores, payment);
      const now = ctx.now();
      // The refund's request takes the next free sequence, its answer the one after.
      const event = {
        ...createEvent(
          {
            type: "RefundRequested",
            cause: { ...settled, sequence: base },
            data: {
              status: executed ? "EXECUTED" : "SETTLED",
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
        ...(executed ? { beforeSettlement: true } : {}),
        ...(waits ? { waits: true } : {}),
      };
      const reserved = await traced(ctx.tracer, "refunds.reserve", () =>
        stores.refunds.reserve(payment.paymentId, {
          refund,
          payment: executed
            ? {
                status: "EXECUTED",
                sequence: payment.sequence,
                capturedMinor: Number(capturedMinorOf(payment)),
                hasRefunds: payment.refunds !== undefined,
              }
            : { status: "SETTLED", hasRefunds: true },
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
