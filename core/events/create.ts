import { randomUUID } from "node:crypto";
import { PayrailError } from "../errors";
import type { PaymentType } from "../generated/graphql";
import { latestVersion } from "./registry";
import type { EventDataByType, EventEnvelope, EventType } from "./types";
import { validateEvent } from "./validate";

/** Who the first event of a payment is about; later events inherit it from their cause. */
export type PaymentOrigin = {
  tenantId: string;
  paymentId: string;
  paymentType: PaymentType;
  correlationId: string;
};

export type CreateEventOptions = {
  now?: Date;
  /** A review action carries the reviewer's own request id instead of the cause's. */
  correlationId?: string;
};

type Spec<T extends EventType> = T extends "PaymentInitiated"
  ? { type: T; data: EventDataByType[T]; origin: PaymentOrigin }
  : { type: T; data: EventDataByType[T]; cause: EventEnvelope };

/**
 * Builds an event at the latest schema version with a fresh UUID and timestamp.
 * PaymentInitiated starts the chain (sequence 1, no causation); every other event
 * follows its cause: same tenant, payment and correlation, sequence + 1,
 * causationId = the cause's eventId. Throws InternalError if the result would not
 * validate, so a producer can never emit a malformed event or a card number.
 */
export function createEvent<T extends EventType>(
  spec: Spec<T>,
  options: CreateEventOptions = {},
): EventEnvelope<T> {
  const chain =
    "origin" in spec
      ? { ...spec.origin, causationId: null, sequence: 1 }
      : {
          tenantId: spec.cause.tenantId,
          paymentId: spec.cause.paymentId,
          paymentType: spec.cause.paymentType,
          correlationId: spec.cause.correlationId,
          causationId: spec.cause.eventId,
          sequence: spec.cause.sequence + 1,
        };
  const event = {
    eventId: randomUUID(),
    type: spec.type,
    schemaVersion: latestVersion(spec.type),
    tenantId: chain.tenantId,
    paymentId: chain.paymentId,
    paymentType: chain.paymentType,
    correlationId: options.correlationId ?? chain.correlationId,
    causationId: chain.causationId,
    sequence: chain.sequence,
    occurredAt: (options.now ?? new Date()).toISOString(),
    data: spec.data,
  };
  const result = validateEvent(event);
  if (!result.ok) {
    throw new PayrailError("InternalError", `invalid ${spec.type} event: ${result.errors.join("; ")}`, {
      eventType: spec.type,
    });
  }
  return event as EventEnvelope<T>;
}
