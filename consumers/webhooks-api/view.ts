// Webhook records as the GraphQL schema returns them: never a sealed secret; the plain
// secret only in the answer that created it.
import type { WebhookDelivery, WebhookEndpoint } from "../../core/generated/graphql";
import type { WebhookDeliveryRecord, WebhookEndpointRecord } from "../persistence/ports/webhooks";

export function endpointView(record: WebhookEndpointRecord, now: Date, secret?: string): WebhookEndpoint {
  return {
    id: record.endpointId,
    url: record.url,
    description: record.description ?? null,
    eventTypes: record.eventTypes,
    enabled: record.enabled,
    status: record.status,
    secret: secret ?? null,
    activeSecrets: record.secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now.getTime())
      .length,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export function deliveryView(record: WebhookDeliveryRecord): WebhookDelivery {
  return {
    id: record.deliveryId,
    endpointId: record.endpointId,
    eventId: record.eventId,
    eventType: record.eventType,
    paymentId: record.paymentId,
    sequence: record.sequence,
    status: record.status,
    attempts: record.attempts.map((a) => ({
      attempt: a.attempt,
      at: a.at,
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      error: a.error ?? null,
      nextRetryAt: a.nextRetryAt,
    })),
    nextAttemptAt: record.status === "PENDING" ? (record.nextAttemptAt ?? null) : null,
    createdAt: record.createdAt,
  };
}
