// A tenant's webhook endpoints (`<env>-<tenant>-webhook-endpoints`) and deliveries
// (`<env>-<tenant>-webhook-deliveries`). Signing secrets are sealed (AES-256-GCM, bound to
// the endpoint id) and only unsealed to sign; the API shows a secret once, when it is made.
// A delivery's id is derived from endpoint and event, so a redelivered Kafka batch records
// nothing twice. The deliveries table also holds one `progress#<paymentId>` item per payment:
// the sequences the webhooks consumer has recorded, which the dispatcher orders by.
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { TTL_ATTRIBUTE, WEBHOOK_DELIVERY_INDEX } from "../../../core/storage/tables";
import { seal, unseal } from "../../platform/sealing";
import {
  AttemptInFlightError,
  type DeliveryAttempt,
  type DeliveryStatus,
  deliveryIdOf,
  type EndpointStatus,
  type NewDelivery,
  type PaymentProgress,
  type PendingDeliveryRef,
  type SealedSecret,
  type WebhookDeliveryRecord,
  type WebhookEndpointRecord,
  type WebhookStore,
} from "../ports/webhooks";
import { batchGet } from "./batch-get";
import { conditionally, isConditionFailure } from "./conditional";
import { cursorOf, startKeyOf } from "./cursor";

const REF_ATTRIBUTES = [
  "deliveryId",
  "endpointId",
  "eventId",
  "eventType",
  "paymentId",
  "sequence",
  "tenantId",
  "correlationId",
  "status",
  "attemptCount",
  "nextAttemptAt",
  "createdAt",
] as const;

const PENDING_SHARD = "pending";

const DELIVERY_TTL_SECONDS = 30 * 24 * 3600;

const progressKey = (paymentId: string) => `progress#${paymentId}`;

/** A progress item keeps `<sequence>:<eventId>` strings (a string set: redelivery adds nothing). */
const SEEN_EVENT_SEPARATOR = ":";

/** A secret signs until its expiry (none: until the next rotation ends it). */
const isActive = (secret: SealedSecret, at: Date) =>
  !secret.expiresAt || Date.parse(secret.expiresAt) > at.getTime();

export function dynamoDbWebhookStore(
  client: DynamoDBDocumentClient,
  tables: { endpoints: string; deliveries: string },
  /** Seals and unseals signing secrets; the webhooks consumer, which never reads one, has none. */
  secretKey: Buffer | undefined,
): WebhookStore {
  const keyOf = (): Buffer => {
    if (!secretKey) throw new Error("this webhook store holds no signing key");
    return secretKey;
  };
  const sealFor = (endpointId: string, secret: string, at: Date): SealedSecret => ({
    sealed: seal(keyOf(), endpointId, secret),
    createdAt: at.toISOString(),
  });

  const endpoints = {
    async create(
      endpoint: Omit<WebhookEndpointRecord, "secrets" | "status" | "createdAt" | "updatedAt">,
      secret: string,
      at: Date,
    ): Promise<WebhookEndpointRecord> {
      const record: WebhookEndpointRecord = {
        ...endpoint,
        status: "ACTIVE",
        secrets: [sealFor(endpoint.endpointId, secret, at)],
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
      };
      await client.send(
        new PutCommand({
          TableName: tables.endpoints,
          Item: record,
          ConditionExpression: "attribute_not_exists(endpointId)",
        }),
      );
      return record;
    },

    async get(endpointId: string): Promise<WebhookEndpointRecord | undefined> {
      const { Item } = await client.send(
        new GetCommand({ TableName: tables.endpoints, Key: { endpointId } }),
      );
      return Item as WebhookEndpointRecord | undefined;
    },

    /** Every endpoint of the tenant (a tenant has at most a few dozen: see MAX_ENDPOINTS). */
    async list(): Promise<WebhookEndpointRecord[]> {
      const items: WebhookEndpointRecord[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({ TableName: tables.endpoints, ExclusiveStartKey: start }),
        );
        items.push(...((page.Items ?? []) as WebhookEndpointRecord[]));
        start = page.LastEvaluatedKey;
      } while (start);
      return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    /** Writes the whole record back if it still exists; false when it was deleted meanwhile. */
    async save(record: WebhookEndpointRecord): Promise<boolean> {
      return conditionally(() =>
        client.send(
          new PutCommand({
            TableName: tables.endpoints,
            Item: record,
            ConditionExpression: "attribute_exists(endpointId)",
          }),
        ),
      );
    },

    async delete(endpointId: string): Promise<boolean> {
      return conditionally(() =>
        client.send(
          new DeleteCommand({
            TableName: tables.endpoints,
            Key: { endpointId },
            ConditionExpression: "attribute_exists(endpointId)",
          }),
        ),
      );
    },

    /** Sets the status unless it already is that (no write then). */
    async setStatus(endpointId: string, status: EndpointStatus, at: Date): Promise<void> {
      await conditionally(() =>
        client.send(
          new UpdateCommand({
            TableName: tables.endpoints,
            Key: { endpointId },
            UpdateExpression: "SET #status = :status, updatedAt = :at",
            ConditionExpression: "attribute_exists(endpointId) AND #status <> :status",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: { ":status": status, ":at": at.toISOString() },
          }),
        ),
      );
    },

    /** A new secret signs from now; the current ones keep signing for `overlapMs`, then stop. */
    rotated(
      record: WebhookEndpointRecord,
      secret: string,
      overlapMs: number,
      at: Date,
    ): WebhookEndpointRecord {
      const until = new Date(at.getTime() + overlapMs).toISOString();
      const current = record.secrets
        .filter((s) => isActive(s, at))
        .map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt < until ? s.expiresAt : until }))
        .filter((s) => overlapMs > 0 && isActive(s, at));
      return {
        ...record,
        secrets: [sealFor(record.endpointId, secret, at), ...current],
        updatedAt: at.toISOString(),
      };
    },

    /** The secrets that sign at `at`, newest first, unsealed. */
    signingSecrets(record: WebhookEndpointRecord, at: Date): string[] {
      return record.secrets
        .filter((s) => isActive(s, at))
        .map((s) => unseal(keyOf(), record.endpointId, s.sealed));
    },
  };

  const pendingItem = (nextAttemptAt: string) => ({ nextAttemptAt, pendingShard: PENDING_SHARD });

  const deliveries = {
    /** Records a delivery unless it exists; true when it was new. Due at once. */
    async record(delivery: NewDelivery): Promise<boolean> {
      const deliveryId = deliveryIdOf(delivery.endpointId, delivery.eventId);
      return conditionally(() =>
        client.send(
          new PutCommand({
            TableName: tables.deliveries,
            Item: {
              ...delivery,
              deliveryId,
              status: "PENDING",
              attemptCount: 0,
              attempts: [],
              ...pendingItem(delivery.createdAt),
              createdKey: `${delivery.createdAt}#${deliveryId}`,
              [TTL_ATTRIBUTE]: Math.floor(Date.parse(delivery.createdAt) / 1000) + DELIVERY_TTL_SECONDS,
            },
            ConditionExpression: "attribute_not_exists(deliveryId)",
          }),
        ),
      );
    },

    async get(deliveryId: string): Promise<WebhookDeliveryRecord | undefined> {
      if (deliveryId.startsWith("progress#")) return undefined;
      const { Item } = await client.send(
        new GetCommand({ TableName: tables.deliveries, Key: { deliveryId } }),
      );
      return Item as WebhookDeliveryRecord | undefined;
    },

    /** Every delivery still to be attempted, by next attempt time (bounded: `max`), without bodies. */
    async pending(max = 1000): Promise<PendingDeliveryRef[]> {
      const items: PendingDeliveryRef[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tables.deliveries,
            IndexName: WEBHOOK_DELIVERY_INDEX.pending,
            KeyConditionExpression: "pendingShard = :shard",
            ExpressionAttributeValues: { ":shard": PENDING_SHARD },
            ProjectionExpression: REF_ATTRIBUTES.map((_, i) => `#a${i}`).join(", "),
            ExpressionAttributeNames: Object.fromEntries(REF_ATTRIBUTES.map((name, i) => [`#a${i}`, name])),
            ExclusiveStartKey: start,
            Limit: Math.min(max - items.length, 500),
          }),
        );
        items.push(...((page.Items ?? []) as PendingDeliveryRef[]));
        start = page.LastEvaluatedKey;
      } while (start && items.length < max);
      return items;
    },

    /** An endpoint's deliveries, newest first, optionally of one status. */
    async list(
      endpointId: string,
      options: { status?: DeliveryStatus; limit: number; cursor?: string },
    ): Promise<{ items: WebhookDeliveryRecord[]; cursor?: string }> {
      const page = await client.send(
        new QueryCommand({
          TableName: tables.deliveries,
          IndexName: WEBHOOK_DELIVERY_INDEX.endpoint,
          KeyConditionExpression: "endpointId = :endpoint",
          ...(options.status
            ? {
                FilterExpression: "#status = :status",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: { ":endpoint": endpointId, ":status": options.status },
              }
            : { ExpressionAttributeValues: { ":endpoint": endpointId } }),
          ScanIndexForward: false,
          Limit: options.limit,
          ExclusiveStartKey: startKeyOf(options.cursor),
        }),
      );
      return {
        items: (page.Items ?? []) as WebhookDeliveryRecord[],
        cursor: cursorOf(page.LastEvaluatedKey),
      };
    },

    /**
     * Takes attempt `attemptCount + 1` before its POST: only one dispatcher wins it, and it
     * is not due again until `leaseUntil`, so a dispatcher that dies mid-POST (kill -9, a
     * Lambda timeout) has the delivery retried after the lease, not lost. Answers the
     * claimed delivery (body included), or undefined when someone else had it.
     */
    async claim(delivery: PendingDeliveryRef, leaseUntil: Date): Promise<WebhookDeliveryRecord | undefined> {
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: tables.deliveries,
            Key: { deliveryId: delivery.deliveryId },
            UpdateExpression: "SET attemptCount = :next, nextAttemptAt = :lease, leasedUntil = :lease",
            ConditionExpression: "attemptCount = :seen AND #status = :pending",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":next": delivery.attemptCount + 1,
              ":seen": delivery.attemptCount,
              ":pending": "PENDING",
              ":lease": leaseUntil.toISOString(),
            },
            ReturnValues: "ALL_NEW",
          }),
        );
        return Attributes as WebhookDeliveryRecord;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    /** Logs an attempt: the delivery is done (SUCCEEDED/FAILED) or due again at `attempt.nextRetryAt`. */
    async finish(deliveryId: string, attempt: DeliveryAttempt, status: DeliveryStatus): Promise<void> {
      const pending = status === "PENDING" && attempt.nextRetryAt;
      await client.send(
        new UpdateCommand({
          TableName: tables.deliveries,
          Key: { deliveryId },
          UpdateExpression: pending
            ? "SET #status = :status, attempts = list_append(attempts, :attempt), nextAttemptAt = :next REMOVE leasedUntil"
            : "SET #status = :status, attempts = list_append(attempts, :attempt) REMOVE nextAttemptAt, pendingShard, leasedUntil",
          ConditionExpression: "attemptCount = :number",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":status": status,
            ":attempt": [attempt],
            ":number": attempt.attempt,
            ...(pending ? { ":next": attempt.nextRetryAt } : {}),
          },
        }),
      );
    },

    /**
     * Due again now, whatever happened before (redeliverWebhook); attempts keep counting.
     * Refused (InFlightError) while an attempt holds its lease: that attempt's outcome would
     * overwrite the request.
     */
    async redeliver(deliveryId: string, at: Date): Promise<WebhookDeliveryRecord | undefined> {
      const { Item: current } = await client.send(
        new GetCommand({ TableName: tables.deliveries, Key: { deliveryId } }),
      );
      if (!current?.endpointId) return undefined;
      if (current.leasedUntil && Date.parse(current.leasedUntil) > at.getTime())
        throw new AttemptInFlightError();
      const { Attributes } = await client
        .send(
          new UpdateCommand({
            TableName: tables.deliveries,
            Key: { deliveryId },
            UpdateExpression: "SET #status = :pending, nextAttemptAt = :at, pendingShard = :shard",
            ConditionExpression: "attribute_exists(deliveryId) AND attribute_exists(endpointId)",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":pending": "PENDING",
              ":at": at.toISOString(),
              ":shard": PENDING_SHARD,
            },
            ReturnValues: "ALL_NEW",
          }),
        )
        .catch((error: unknown) => {
          if (isConditionFailure(error)) throw new AttemptInFlightError();
          throw error;
        });
      return Attributes as WebhookDeliveryRecord | undefined;
    },

    async stillPending(deliveryIds: readonly string[]): Promise<Set<string>> {
      if (deliveryIds.length === 0) return new Set();
      const found = await batchGet(
        client,
        new Map([[tables.deliveries, [...new Set(deliveryIds)].map((deliveryId) => ({ deliveryId }))]]),
      );
      return new Set(
        (found.get(tables.deliveries) ?? [])
          .filter((item) => item.status === "PENDING")
          .map((item) => String(item.deliveryId)),
      );
    },
  };

  const progress = {
    /** Notes that the consumer has recorded the deliveries of this event of the payment. */
    async markSeen(paymentId: string, sequence: number, eventId: string): Promise<void> {
      await client.send(
        new UpdateCommand({
          TableName: tables.deliveries,
          Key: { deliveryId: progressKey(paymentId) },
          UpdateExpression: `ADD seen :sequence, seenEvents :event SET ${TTL_ATTRIBUTE} = :ttl`,
          ExpressionAttributeValues: {
            ":sequence": new Set([sequence]),
            ":event": new Set([`${sequence}${SEEN_EVENT_SEPARATOR}${eventId}`]),
            ":ttl": Math.floor(Date.now() / 1000) + DELIVERY_TTL_SECONDS,
          },
        }),
      );
    },

    /** What was seen per payment (nothing yet: empty). */
    async seen(paymentIds: readonly string[]): Promise<Map<string, PaymentProgress>> {
      const unique = [...new Set(paymentIds)];
      const result = new Map<string, PaymentProgress>(
        unique.map((id) => [id, { sequences: new Set(), eventIds: new Map() }]),
      );
      const found = await batchGet(
        client,
        new Map([[tables.deliveries, unique.map((id) => ({ deliveryId: progressKey(id) }))]]),
      );
      for (const item of found.get(tables.deliveries) ?? []) {
        const paymentId = String(item.deliveryId).slice(progressKey("").length);
        const eventIds = new Map<number, string>();
        for (const entry of (item.seenEvents as Set<string> | undefined) ?? []) {
          const at = entry.indexOf(SEEN_EVENT_SEPARATOR);
          eventIds.set(Number(entry.slice(0, at)), entry.slice(at + 1));
        }
        const sequences = new Set([...((item.seen as Set<number> | undefined) ?? [])].map(Number));
        result.set(paymentId, { sequences, eventIds });
      }
      return result;
    },
  };

  return { endpoints, deliveries, progress };
}
