// Port: a tenant's webhook endpoints, delivery log and per-payment progress (../dynamodb/webhooks).
import { derivedUuid } from "../../../core/events/derived-id";

export type SealedSecret = { sealed: string; createdAt: string; expiresAt?: string };

export type EndpointStatus = "ACTIVE" | "FAILING";

export type DeliveryStatus = "PENDING" | "SUCCEEDED" | "FAILED";

export type WebhookEndpointRecord = {
  endpointId: string;
  url: string;
  description?: string;
  eventTypes: string[];
  enabled: boolean;
  status: EndpointStatus;
  secrets: SealedSecret[];
  createdAt: string;
  updatedAt: string;
};

export type DeliveryAttempt = {
  attempt: number;
  at: string;
  /** null when no HTTP answer came (timeout, refused connection, forbidden address). */
  statusCode: number | null;
  latencyMs: number;
  error?: string;
  /** When the next attempt is due; null when none is scheduled. */
  nextRetryAt: string | null;
};

export type WebhookDeliveryRecord = {
  deliveryId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  paymentId: string;
  sequence: number;
  tenantId: string;
  correlationId: string;
  /** The exact bytes every attempt signs and sends. */
  body: string;
  status: DeliveryStatus;
  /** Attempts claimed so far; an attempt is claimed before its POST (see claim). */
  attemptCount: number;
  attempts: DeliveryAttempt[];
  nextAttemptAt?: string;
  /** Set while a claimed attempt runs (until its lease ends); cleared when it is logged. */
  leasedUntil?: string;
  createdAt: string;
};

/** redeliverWebhook while an attempt of the delivery is still running. */
export class AttemptInFlightError extends Error {
  override name = "AttemptInFlightError";
}

/** A pending delivery as the dispatcher scans them: without body and attempt log (read at claim). */
export type PendingDeliveryRef = Omit<WebhookDeliveryRecord, "body" | "attempts" | "leasedUntil">;

export type NewDelivery = Omit<
  WebhookDeliveryRecord,
  "deliveryId" | "status" | "attemptCount" | "attempts" | "nextAttemptAt"
>;

/** The events of a payment the webhooks consumer has recorded deliveries for. */
export type PaymentProgress = {
  sequences: ReadonlySet<number>;
  /** The event id per seen sequence (absent for sequences recorded before ids were kept). */
  eventIds: ReadonlyMap<number, string>;
};

export const deliveryIdOf = (endpointId: string, eventId: string): string =>
  `whd_${derivedUuid("webhook-delivery", `${endpointId}/${eventId}`).replaceAll("-", "")}`;

/** A tenant's webhook endpoints, its delivery log, and the consumer's progress per payment. */
export interface WebhookStore {
  endpoints: {
    create(
      endpoint: Omit<WebhookEndpointRecord, "secrets" | "status" | "createdAt" | "updatedAt">,
      secret: string,
      at: Date,
    ): Promise<WebhookEndpointRecord>;
    get(endpointId: string): Promise<WebhookEndpointRecord | undefined>;
    /** Every endpoint of the tenant (a tenant has at most a few dozen). */
    list(): Promise<WebhookEndpointRecord[]>;
    /** Writes the whole record back if it still exists; false when it was deleted meanwhile. */
    save(record: WebhookEndpointRecord): Promise<boolean>;
    delete(endpointId: string): Promise<boolean>;
    /** Sets the status unless it already is that (no write then). */
    setStatus(endpointId: string, status: EndpointStatus, at: Date): Promise<void>;
    /** A new secret signs from now; the current ones keep signing for `overlapMs`, then stop. */
    rotated(
      record: WebhookEndpointRecord,
      secret: string,
      overlapMs: number,
      at: Date,
    ): WebhookEndpointRecord;
    /** The secrets that sign at `at`, newest first, unsealed. */
    signingSecrets(record: WebhookEndpointRecord, at: Date): string[];
  };
  deliveries: {
    /** Records a delivery unless it exists; true when it was new. Due at once. */
    record(delivery: NewDelivery): Promise<boolean>;
    get(deliveryId: string): Promise<WebhookDeliveryRecord | undefined>;
    /** Every delivery still to be attempted, by next attempt time (bounded: `max`), without bodies. */
    pending(max?: number): Promise<PendingDeliveryRef[]>;
    /** An endpoint's deliveries, newest first, optionally of one status; `cursor` is opaque. */
    list(
      endpointId: string,
      options: { status?: DeliveryStatus; limit: number; cursor?: string },
    ): Promise<{ items: WebhookDeliveryRecord[]; cursor?: string }>;
    /**
     * Takes attempt `attemptCount + 1` before its POST: only one dispatcher wins it, and it
     * is not due again until `leaseUntil`. Answers the claimed delivery (body included), or
     * undefined when someone else had it.
     */
    claim(delivery: PendingDeliveryRef, leaseUntil: Date): Promise<WebhookDeliveryRecord | undefined>;
    /** Logs an attempt: the delivery is done (SUCCEEDED/FAILED) or due again at `attempt.nextRetryAt`. */
    finish(deliveryId: string, attempt: DeliveryAttempt, status: DeliveryStatus): Promise<void>;
    /** Due again now, whatever happened before (redeliverWebhook); refused while an attempt holds its lease. */
    redeliver(deliveryId: string, at: Date): Promise<WebhookDeliveryRecord | undefined>;
    /**
     * Which of these deliveries are still PENDING, read consistently from the table itself:
     * the pending index is eventually consistent (an item being updated can be missing from
     * it for a moment), so the order of a lane is confirmed here before a POST.
     */
    stillPending(deliveryIds: readonly string[]): Promise<Set<string>>;
  };
  progress: {
    /** Notes that the consumer has recorded the deliveries of this event of the payment. */
    markSeen(paymentId: string, sequence: number, eventId: string): Promise<void>;
    /** What was seen per payment. */
    seen(paymentIds: readonly string[]): Promise<Map<string, PaymentProgress>>;
  };
}
