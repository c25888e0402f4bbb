// The body of a webhook POST: the event envelope, with its data as it may leave Payrail
// (core/events/public-data: no vault token, account or fingerprint; card and accounts only
// masked). Serialized once when the delivery is recorded, so every attempt signs the same bytes.
import type { EventEnvelope } from "../events";
import { publicEventData } from "../events/public-data";

export function webhookBody(event: EventEnvelope): string {
  return JSON.stringify({
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    tenantId: event.tenantId,
    paymentId: event.paymentId,
    paymentType: event.paymentType,
    correlationId: event.correlationId,
    causationId: event.causationId,
    sequence: event.sequence,
    occurredAt: event.occurredAt,
    data: publicEventData(event.data),
  });
}
