// The cancellation write, shared by cancelPayment (consumers/payments-api) and the
// authorization sweeper (consumers/auth-sweeper). An AUTHORIZED or IN_REVIEW payment waits
// on nobody but the API, so its PaymentCanceled is written with the cancellation
// (conditional on the status, the same sequence and no capture, review or other cancel
// yet), and execution releases a hold. An INITIATED or RISK_APPROVED one is on its way
// through risk and execution: the cancellation is recorded on the row and execution emits
// PaymentCanceled instead of calling the rail; one that risk sends to IN_REVIEW instead is
// canceled by the sweeper (`honorRecordedCancellation`), as a reviewer may not decide it.
import { createEvent } from "../../core/events";
import { CANCELABLE_STATUSES } from "../../core/states";
import type { ApiContext } from "../api/context";
import type { ActionRecord, PaymentChange, PaymentRecord } from "../persistence/ports/payments";
import type { TenantStores } from "../persistence/stores";
import { currentCause } from "./history-cause";
import { recordAction } from "./record-action";

type Cancelable = "INITIATED" | "RISK_APPROVED" | "IN_REVIEW" | "AUTHORIZED";
export const isCancelable = (status: string): status is Cancelable =>
  (CANCELABLE_STATUSES as readonly string[]).includes(status);

/**
 * Writes the cancellation of a cancelable payment (see the top of the file) and answers
 * the payment as it will be; undefined when the row changed under it (read it again).
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

/** An IN_REVIEW payment whose cancellation was recorded before risk sent it to review, not yet honored. */
export const hasRecordedCancellation = (payment: PaymentRecord): boolean =>
  payment.status === "IN_REVIEW" &&
  payment.cancellation !== undefined &&
  payment.cancellation.sequence <= payment.sequence;

/**
 * Cancels such a payment: its PaymentCanceled (the cancellation's own event id, following
 * the review's cause) is written with the cancellation moved to its sequence, conditional on
 * the row's sequence and no review. false when the row changed under it.
 */
export async function honorRecordedCancellation(
  ctx: ApiContext,
  stores: TenantStores,
  payment: PaymentRecord,
): Promise<boolean> {
  const recorded = payment.cancellation;
  if (!recorded || !hasRecordedCancellation(payment)) return false;
  const cause = await currentCause(stores, payment);
  const event = {
    ...createEvent(
      {
        type: "PaymentCanceled",
        cause,
        data: {
          status: "CANCELED",
          reason: recorded.reason ?? "canceled",
          canceledBy: recorded.principal,
          previousStatus: "IN_REVIEW",
        },
      },
      { now: ctx.now() },
    ),
    eventId: recorded.eventId,
  };
  return recordAction(ctx, stores, payment.paymentId, {
    expect: { sequence: payment.sequence, status: "IN_REVIEW", absent: ["review"] },
    set: { cancellation: { ...recorded, sequence: event.sequence } },
    emit: [event],
  });
}
