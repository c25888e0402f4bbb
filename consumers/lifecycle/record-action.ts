// Writes an action's event with its record on the row (one conditional write, the outbox
// pattern of initiation and review), publishes it, and clears it. A resumed attempt that
// finds its own record publishes what is still pending instead of writing again.
import type { EventEnvelope } from "../../core/events";
import type { ApiContext } from "../api/context";
import { flushPending } from "../persistence/ports/outbox";
import type { PaymentChange, PaymentRecord } from "../persistence/ports/payments";
import type { TenantStores } from "../persistence/stores";
import { traced } from "../platform/observability";

/** Publishes the events the row still holds (what an interrupted attempt left). */
export async function publishPending(
  ctx: ApiContext,
  stores: TenantStores,
  paymentId: string,
): Promise<PaymentRecord> {
  const found = await stores.payments.get(paymentId);
  if (!found) throw new Error(`payment ${paymentId} vanished`);
  await traced(ctx.tracer, "kafka.publish", () =>
    flushPending(stores.payments, ctx.publisher, {
      paymentId,
      events: found.pendingEvents,
      version: found.outboxVersion,
    }),
  );
  return found.payment;
}

/** false when the row changed under the action (the caller reads it again). */
export async function recordAction(
  ctx: ApiContext,
  stores: TenantStores,
  paymentId: string,
  change: PaymentChange<EventEnvelope>,
): Promise<boolean> {
  const written = await traced(ctx.tracer, "payments.update", () =>
    stores.payments.update(paymentId, change),
  );
  if (!written) return false;
  await traced(ctx.tracer, "kafka.publish", () =>
    flushPending(stores.payments, ctx.publisher, { paymentId, events: change.emit ?? [] }),
  );
  return true;
}
