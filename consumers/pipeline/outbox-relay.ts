// The outbox relay: publishes events a request wrote but could not publish and that no
// client retry picked up (the client gave up, or the process died). On AWS a scheduled
// function runs `relayTenants` once a minute; locally `startOutboxRelay` loops.
// Events younger than `minAgeMs` are left to the request still publishing them, so the
// relay does not race every live request into a duplicate.
import type { EventEnvelope } from "../../core/events";
import {
  type Outbox,
  type PaymentEventPublisher,
  type PendingEvents,
  relayOutbox,
} from "../persistence/ports/outbox";

export type RelayOptions = {
  /** The outbox of the tenant's payments table: all the relay touches (no secrets, no vault). */
  paymentsOf: (tenantId: string) => Outbox<EventEnvelope>;
  publisher: PaymentEventPublisher<EventEnvelope>;
  tenantIds: () => Promise<readonly string[]> | readonly string[];
  /** Leave events this fresh to their writer (≥ the API's in-progress window). */
  minAgeMs: number;
  now?: () => number;
  batch?: number;
};

/** One sweep over every tenant; returns how many events it published. */
export async function relayTenants(options: RelayOptions): Promise<number> {
  const now = options.now ?? Date.now;
  const isDue = (pending: PendingEvents<EventEnvelope>) =>
    pending.events.some((event) => now() - Date.parse(event.occurredAt) >= options.minAgeMs);
  let published = 0;
  for (const tenantId of await options.tenantIds()) {
    published += await relayOutbox(options.paymentsOf(tenantId), options.publisher, {
      limit: options.batch,
      // Rows pending for less than minAgeMs hold no due event: not even read. (Most are
      // initiations whose PaymentInitiated the status service clears with its next write.)
      pendingBefore: new Date(now() - options.minAgeMs).toISOString(),
      isDue,
    });
  }
  return published;
}

/** Sweeps every `intervalMs` until stopped; a failed sweep is logged by `onError` and retried next time. */
export function startOutboxRelay(
  options: RelayOptions & { intervalMs: number; onError: (error: unknown) => void },
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => relayTenants(options)).catch(options.onError);
  }, options.intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
