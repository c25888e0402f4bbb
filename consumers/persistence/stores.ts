// The per-tenant stores a handler uses, built once per tenant and reused across
// invocations (as a warm Lambda keeps them). Table names come from the tenant id the
// caller's identity gave, so one tenant's handler can only ever touch its own tables.
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { EventEnvelope } from "../../core/events";
import { controlPlaneTable, tenantTables } from "../../core/storage/tables";
import { documentClient, tenantClients } from "../platform/aws";
import type { TracerPort } from "../platform/observability";
import { type Secrets, secretsFromEnv } from "../platform/secrets";
import { type AttemptLog, dynamoDbAttemptLog } from "./attempt-journal";
import { type ControlPlane, dynamoDbControlPlane, type TenantRecord } from "./control-plane";
import { dynamoDbPaymentHistory, type PaymentHistory } from "./history";
import type { IdempotencyStore } from "./idempotency";
import { dynamoDbIdempotencyStore } from "./idempotency-dynamodb";
import { dynamoDbPaymentRepository, type PaymentRepository } from "./payments";
import { dynamoDbRefundStore, type RefundStore } from "./refunds";
import { type WriteTogether, writeTogether } from "./transaction";
import { type CardVault, dynamoDbCardVault } from "./vault";
import { dynamoDbWebhookStore, type WebhookStore } from "./webhooks";

export type TenantStores = {
  payments: PaymentRepository<EventEnvelope>;
  history: PaymentHistory<EventEnvelope>;
  idempotency: IdempotencyStore;
  vault: CardVault;
  /** Commits writes the stores built (`…Write`) in one transaction on the tenant's tables. */
  writeTogether: WriteTogether;
  refunds: RefundStore<EventEnvelope>;
  webhooks: WebhookStore;
  /** Execution's processor attempts, read for Payment.attempts. */
  attempts: AttemptLog;
};

export type StoreFactory = {
  env: string;
  secrets: Secrets;
  controlPlane: ControlPlane;
  forTenant(tenantId: string): TenantStores;
  /** The tenant's control-plane record, cached per process; undefined if not provisioned. */
  tenant(tenantId: string): Promise<TenantRecord | undefined>;
};

/**
 * `client` reaches the control plane; `tenantClient` a tenant's tables (on AWS a client
 * with that tenant's role, see tenantClients; by default the same client).
 */
export function storeFactory(
  client: DynamoDBDocumentClient,
  env: string,
  secrets: Secrets,
  tenantClient: (tenantId: string) => DynamoDBDocumentClient = () => client,
): StoreFactory {
  const cache = new Map<string, TenantStores>();
  const tenants = new Map<string, Promise<TenantRecord | undefined>>();
  const controlPlane = dynamoDbControlPlane(client, controlPlaneTable(env));
  return {
    env,
    secrets,
    controlPlane,
    tenant(tenantId) {
      let found = tenants.get(tenantId);
      if (!found) {
        found = controlPlane.getTenant(tenantId);
        tenants.set(tenantId, found);
        // Neither a failure nor a not-yet-provisioned tenant is remembered.
        found.then((tenant) => tenant ?? tenants.delete(tenantId)).catch(() => tenants.delete(tenantId));
      }
      return found;
    },
    forTenant(tenantId) {
      const cached = cache.get(tenantId);
      if (cached) return cached;
      const tables = tenantTables(env, tenantId);
      const tenantDocuments = tenantClient(tenantId);
      const stores: TenantStores = {
        payments: dynamoDbPaymentRepository(tenantDocuments, tables.payments),
        history: dynamoDbPaymentHistory(tenantDocuments, tables.paymentEvents),
        idempotency: dynamoDbIdempotencyStore(tenantDocuments, tables.idempotency),
        vault: dynamoDbCardVault(tenantDocuments, tables.vault, secrets.vaultKey),
        writeTogether: writeTogether(tenantDocuments),
        attempts: dynamoDbAttemptLog(tenantDocuments, tables.attempts),
        refunds: dynamoDbRefundStore(tenantDocuments, tables.payments),
        webhooks: dynamoDbWebhookStore(
          tenantDocuments,
          { endpoints: tables.webhookEndpoints, deliveries: tables.webhookDeliveries },
          secrets.webhookSecretKey,
        ),
      };
      cache.set(tenantId, stores);
      return stores;
    },
  };
}

type Env = Record<string, string | undefined>;

/** With a tracer, every DynamoDB call becomes an X-Ray subsegment (a no-op where tracing is off). */
export function storeFactoryFromEnv(env: Env = process.env, tracer?: TracerPort): StoreFactory {
  // Locally all tenants share one client, which must be instrumented only once.
  const tracedClients = new Map<DynamoDBDocumentClient, DynamoDBDocumentClient>();
  const traced = (client: DynamoDBDocumentClient) => {
    let instrumented = tracedClients.get(client);
    if (!instrumented) {
      instrumented = tracer ? tracer.captureAWSv3Client(client) : client;
      tracedClients.set(client, instrumented);
    }
    return instrumented;
  };
  const tenants = tenantClients(env);
  return storeFactory(
    traced(documentClient({}, env)),
    env.PAYRAIL_ENV ?? "local",
    secretsFromEnv(env),
    (tenantId) => traced(tenants.documents(tenantId)),
  );
}
