// The outbox: "no payment without its event, no event without its payment" without a
// cross-service transaction. A handler writes the event into the same DynamoDB item as
// the payment change (one conditional write), publishes it, then clears it. A crash in
// between leaves the event pending on the item, where the retried request (same
// idempotency key) or `relayOutbox` publishes it again. Consumers see at-least-once
// delivery and drop duplicates by (paymentId, sequence).

/** What the outbox needs of an event envelope (core/events); the whole envelope is published. */
export type OutboxEvent = {
  eventId: string;
  type: string;
  schemaVersion: number;
  tenantId: string;
  paymentId: string;
  paymentType: string;
  correlationId: string;
  sequence: number;
};

/**
 * Port implemented by the Kafka producer adapter (consumers/pipeline/producer.ts).
 * Resolves only once every event is durable in Kafka (acks=-1); rejects otherwise.
 */
export interface PaymentEventPublisher<E extends OutboxEvent = OutboxEvent> {
  publish(events: readonly E[]): Promise<void>;
}

export type PendingEvents<E extends OutboxEvent = OutboxEvent> = {
  paymentId: string;
  events: E[];
  /** When known: the outbox version at which `events` was the whole outbox (saves a read when clearing). */
  version?: number;
};

/** The whole outbox of a payment as some read or write left it. */
export type OutboxSnapshot<E extends OutboxEvent = OutboxEvent> = { version: number; events: readonly E[] };

export interface Outbox<E extends OutboxEvent = OutboxEvent> {
  /**
   * Payments that still carry unpublished events, oldest first; with `pendingBefore` (ISO
   * time) only those pending since before it, so a sweep does not read every fresh row.
   */
  pending(limit: number, pendingBefore?: string): Promise<PendingEvents<E>[]>;
  /** Clears the given events from the payment's outbox (others written meanwhile stay). */
  markPublished(paymentId: string, eventIds: readonly string[], seen?: OutboxSnapshot<E>): Promise<void>;
}

/** Publishes then clears one payment's pending events. */
export async function flushPending<E extends OutboxEvent>(
  outbox: Outbox<E>,
  publisher: PaymentEventPublisher<E>,
  pending: PendingEvents<E>,
): Promise<void> {
  if (pending.events.length === 0) return;
  await publisher.publish(pending.events);
  await outbox.markPublished(
    pending.paymentId,
    pending.events.map((event) => event.eventId),
    pending.version === undefined ? undefined : { version: pending.version, events: pending.events },
  );
}

/** One sweep over one outbox: publishes what is due (default: everything); returns how many events. */
export async function relayOutbox<E extends OutboxEvent>(
  outbox: Outbox<E>,
  publisher: PaymentEventPublisher<E>,
  options: { limit?: number; pendingBefore?: string; isDue?: (pending: PendingEvents<E>) => boolean } = {},
): Promise<number> {
  let published = 0;
  for (const pending of await outbox.pending(options.limit ?? 100, options.pendingBefore)) {
    if (options.isDue && !options.isDue(pending)) continue;
    await flushPending(outbox, publisher, pending);
    published += pending.events.length;
  }
  return published;
}
