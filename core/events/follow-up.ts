// The event a consumer emits in response to another. Its id is derived from the cause and
// type, so handling a redelivered record yields the very same event, which every
// downstream consumer already drops as a duplicate by (paymentId, sequence).
import { createEvent, type EventDataByType, type EventEnvelope, type EventType } from ".";
import { derivedUuid } from "./derived-id";

export function followUpEvent<T extends Exclude<EventType, "PaymentInitiated">>(
  cause: EventEnvelope,
  type: T,
  data: EventDataByType[T],
): EventEnvelope<T> {
  const event = createEvent({ type, data, cause } as Parameters<typeof createEvent<T>>[0]);
  return { ...event, eventId: derivedUuid("payrail-event", `${cause.eventId}/${type}`) };
}
