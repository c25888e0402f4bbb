// Settlement service: each executed payment is settled on the execution's UTC date. The
// settlement records go to the tenant's bucket under `settlements/<rail>/<date>/`, one
// JSON object per partition batch (rewritten, not duplicated, on redelivery), and only
// then are the PaymentSettled events published, with ids derived from their cause.

import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { MSKEvent } from "aws-lambda";
import type { EventEnvelope } from "../../core/events";
import { followUpEvent } from "../../core/events/follow-up";
import { groupInOrder } from "../../core/group-in-order";
import { batchObjectKey } from "../pipeline/batch-object";
import { decodeEvents } from "../pipeline/consume";
import type { PipelineContext } from "../pipeline/context";
import { mskLambda } from "../pipeline/lambda";
import { requestLogger, traced } from "../platform/observability";

export function settle(executed: EventEnvelope<"PaymentExecuted">): EventEnvelope<"PaymentSettled"> {
  const { rail, amountMinor, currency } = executed.data;
  return followUpEvent(executed, "PaymentSettled", {
    status: "SETTLED",
    rail,
    settlementDate: executed.occurredAt.slice(0, 10),
    amountMinor,
    currency,
  });
}

export function createSettlementHandler(ctx: PipelineContext) {
  return async (event: MSKEvent): Promise<void> => {
    const executed = decodeEvents(event, ctx.schemas).filter(
      (c): c is typeof c & { event: EventEnvelope<"PaymentExecuted"> } => c.event.type === "PaymentExecuted",
    );
    const settled = executed.map(({ event, record }) => ({ event: settle(event), record }));
    const groups = groupInOrder(
      settled,
      ({ event, record }) =>
        `${event.tenantId}/${event.data.rail}/${event.data.settlementDate}/${record.topic}-${record.partition}`,
    );
    await traced(ctx.tracer, "settlement.records", () =>
      Promise.all(
        [...groups.values()].map(async (items) => {
          const [first] = items;
          if (!first) return;
          const { tenantId, data } = first.event;
          const body = items.map(({ event }) => ({
            paymentId: event.paymentId,
            correlationId: event.correlationId,
            tenantId: event.tenantId,
            amountMinor: event.data.amountMinor,
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
