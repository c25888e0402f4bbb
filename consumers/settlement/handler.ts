// Settlement service: each executed (or captured) payment is settled on the execution's
// UTC date, and each succeeded refund is a negative line on its own date. The
// settlement records go to the tenant's bucket under `settlements/<processor>/<date>/`, one
// JSON object per partition batch (rewritten, not duplicated, on redelivery), and only
// then are the PaymentSettled events published, with ids derived from their cause.
// A refund needs no event of its own: the status service settles it on RefundSucceeded.

import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { MSKEvent } from "aws-lambda";
import type { EventEnvelope } from "../../core/events";
import { followUpEvent } from "../../core/events/follow-up";
import { groupInOrder } from "../../core/group-in-order";
import { batchObjectKey } from "../pipeline/batch-object";
import { decodeEvents } from "../pipeline/consume";
import type { PipelineContext } from "../pipeline/context";
import { mskLambda } from "../pipeline/lambda";
import type { MSKRecord } from "../platform/msk-event";
import { requestLogger, traced } from "../platform/observability";

type Settles = EventEnvelope<"PaymentExecuted" | "PaymentCaptured">;

export function settle(executed: Settles): EventEnvelope<"PaymentSettled"> {
  const { rail, amountMinor, currency } = executed.data;
  return followUpEvent(executed, "PaymentSettled", {
    status: "SETTLED",
    rail,
    settlementDate: executed.occurredAt.slice(0, 10),
    amountMinor,
    currency,
  });
}

/** One line of a settlement record: a payment (positive) or a refund (negative). */
type Line = {
  event: EventEnvelope<"PaymentExecuted" | "PaymentCaptured" | "RefundSucceeded">;
  record: MSKRecord;
  rail: string;
  date: string;
  amountMinor: string;
  refundId?: string;
};

export function createSettlementHandler(ctx: PipelineContext) {
  return async (event: MSKEvent): Promise<void> => {
    const consumed = decodeEvents(event, ctx.schemas);
    const settled = consumed.flatMap(({ event, record }) =>
      event.type === "PaymentExecuted" || event.type === "PaymentCaptured"
        ? [{ event: settle(event), record }]
        : [],
    );
    const lines = consumed.flatMap(({ event, record }): Line[] => {
      if (event.type === "PaymentExecuted" || event.type === "PaymentCaptured") {
        const { data } = settle(event);
        return [{ event, record, rail: data.rail, date: data.settlementDate, amountMinor: data.amountMinor }];
      }
      if (event.type === "RefundSucceeded") {
        const { rail, amountMinor, refundId } = event.data;
        const date = event.occurredAt.slice(0, 10);
        return [{ event, record, rail, date, amountMinor: `-${amountMinor}`, refundId }];
      }
      return [];
    });
    const groups = groupInOrder(
      lines,
      ({ event, record, rail, date }) =>
        `${event.tenantId}/${rail}/${date}/${record.topic}-${record.partition}`,
    );
    await traced(ctx.tracer, "settlement.records", () =>
      Promise.all(
        [...groups.values()].map(async (items) => {
          const [first] = items;
          if (!first) return;
          const { tenantId } = first.event;
          const data = { rail: first.rail, settlementDate: first.date };
          const body = items.map(({ event, amountMinor, refundId }) => ({
            paymentId: event.paymentId,
            correlationId: event.correlationId,
            tenantId: event.tenantId,
            ...(refundId ? { refundId } : {}),
            amountMinor,
            currency: event.data.currency,
            eventId: event.eventId,
          }));
          await ctx.s3For(tenantId).send(
            new PutObjectCommand({
              Bucket: await ctx.bucketOf(tenantId),
              Key: batchObjectKey(`settlements/${data.rail}/${data.settlementDate}`, first.record, "json"),
              Body: JSON.stringify({
                tenantId,
                rail: data.rail,
                settlementDate: data.settlementDate,
                payments: body,
              }),
              ContentType: "application/json",
            }),
          );
        }),
      ),
    );
    const events = settled.map(({ event }) => event);
    await traced(ctx.tracer, "kafka.publish", () => ctx.publisher.publish(events));
    for (const settledEvent of events) {
      requestLogger(ctx.logger, {
        tenantId: settledEvent.tenantId,
        correlationId: settledEvent.correlationId,
        paymentId: settledEvent.paymentId,
      }).info("payment settled", { rail: settledEvent.data.rail });
    }
  };
}

export const handler = mskLambda("settlement", ({ ctx }) => createSettlementHandler(ctx));
