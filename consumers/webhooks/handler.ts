// Webhooks service: for every payment event, one delivery record per enabled endpoint of the
// tenant that subscribes to its type, written durably (before the batch's offsets commit)
// with the body the partner will get. It never POSTs: the dispatcher delivers the records
// on its own schedule, so no partner can slow this batch or the pipeline. Then it notes the
// event's sequence as seen, which is what lets the dispatcher keep a payment's events in order.
import type { MSKEvent } from "aws-lambda";
import { groupInOrder } from "../../core/group-in-order";
import { subscribesTo, webhookBody } from "../../core/webhooks";
import { decodeEvents, forEachPayment } from "../pipeline/consume";
import type { PipelineContext } from "../pipeline/context";
import { mskLambda } from "../pipeline/lambda";
import { requestLogger, traced } from "../platform/observability";

export type WebhooksHandlerOptions = {
  /** Called with the tenants that got new deliveries (locally: pokes the dispatcher). */
  onRecorded?: (tenantIds: string[]) => void;
  now?: () => Date;
};

export function createWebhooksHandler(ctx: PipelineContext, options: WebhooksHandlerOptions = {}) {
  const now = options.now ?? (() => new Date());
  return async (event: MSKEvent): Promise<void> => {
    const byTenant = groupInOrder(decodeEvents(event, ctx.schemas), ({ event }) => event.tenantId);
    const recorded = new Set<string>();
    await traced(ctx.tracer, "webhooks", () =>
      Promise.all(
        [...byTenant].map(async ([tenantId, items]) => {
          // The recording side: it never reads a signing key.
          const store = ctx.stores.forTenant(tenantId).webhookRecords;
          const endpoints = (await store.endpoints.list()).filter((e) => e.enabled);
          if (endpoints.length === 0) return;
          await forEachPayment(items, async ({ event }) => {
            const targets = endpoints.filter((e) => subscribesTo(e.eventTypes, event.type));
            if (targets.length > 0) {
              const body = webhookBody(event);
              const createdAt = now().toISOString();
              const fresh = await Promise.all(
                targets.map((endpoint) =>
                  store.deliveries.record({
                    endpointId: endpoint.endpointId,
                    eventId: event.eventId,
                    eventType: event.type,
                    paymentId: event.paymentId,
                    sequence: event.sequence,
                    tenantId,
                    correlationId: event.correlationId,
                    body,
                    createdAt,
                  }),
                ),
              );
              if (fresh.some(Boolean)) recorded.add(tenantId);
              requestLogger(ctx.logger, {
                tenantId,
                correlationId: event.correlationId,
                paymentId: event.paymentId,
              }).debug("webhook deliveries recorded", { eventId: event.eventId, endpoints: targets.length });
            }
            await store.progress.markSeen(event.paymentId, event.sequence, event.eventId);
          });
        }),
      ),
    );
    if (recorded.size > 0) options.onRecorded?.([...recorded]);
  };
}

export const handler = mskLambda("webhooks", ({ ctx }) => createWebhooksHandler(ctx));
