// The one store factory: every handler's stores, built once per tenant and reused across
// invocations (as a warm Lambda keeps them); the pipeline's consumers get theirs from
// pipelineStoreFactory (no keys), the API's from storeFactory (the same, plus what needs keys). Table names come from the tenant id the
// caller's identity gave, so one tenant's handler can only ever touch its own tables.
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { EventEnvelope } from "../../core/events";
import type { AttemptJournal } from "../../core/routing";
import { controlPlaneTable, processorHealthTable, tenantTables } from "../../core/storage/tables";
import { documentClient, tenantClients } from "../platform/aws";
import type { TracerPort } from "../platform/observability";
import { type Secrets, secretsFromEnv } from "../platform/secrets";
import { dynamoDbAttemptJournal, dynamoDbAttemptLog } from "./dynamodb/attempt-journal";
import { dynamoDbControlPlane } from "./dynamodb/control-plane";
import { dynamoDbPaymentHistory } from "./dynamodb/history";
import { dynamoDbIdempotencyStore } from "./dynamodb/idempotency";
import { dynamoDbPaymentRepository } from "./dynamodb/payments";
import { dynamoDbProcessorHealthStore } from "./dynamodb/processor-health";
import { dynamoDbRefundStore } from "./dynamodb/refunds";
import { dynamoDbRiskStore } from "./dynamodb/risk";
import { dynamoDbRoutedPayments } from "./dynamodb/routed-payments";
import { writeTogether } from "./dynamodb/transaction";
import { dynamoDbCardVault } from "./dynamodb/vault";
import { dynamoDbWebhookStore } from "./dynamodb/webhooks";
import type { AttemptLog } from "./ports/attempts";
import type { ControlPlane, TenantRecord } from "./ports/control-plane";
import type { PaymentHistory } from "./ports/history";
import type { IdempotencyStore } from "./ports/idempotency";
import type { PaymentRepository } from "./ports/payments";
import type { ProcessorHealthStore } from "./ports/processor-health";
import type { RefundStore } from "./ports/refunds";
import type { RiskStore } from "./ports/risk";
import type { RoutedPayments } from "./ports/routed-payments";
import type { WriteTogether } from "./ports/transaction";
import type { CardVault } from "./ports/vault";
import type { WebhookStore } from "./ports/webhooks";

/** What the pipeline's consumers use of one tenant: no key material needed. */
export type PipelineTenantStores = {
  payments: PaymentRepository<EventEnvelope>;
  history: PaymentHistory<EventEnvelope>;
  /** Commits writes the stores built (`…Write`) in one transaction on the tenant's tables. */
  writeTogether: WriteTogether;
  refunds: RefundStore<EventEnvelope>;
  /** Execution's processor attempts (also read for Payment.attempts, answered by status). */
  attempts: AttemptLog;
  /** Execution: the batch's rows with their attempts, one read. */
  routedPayments: RoutedPayments;
  /** Execution: one payment's attempt journal for its route. */
  journal(route: Parameters<typeof dynamoDbAttemptJournal>[2]): AttemptJournal;
  /** Risk: velocity windows and decisions (kept per tenant: it remembers windows' counts). */
  risk: RiskStore;
  /** The webhooks consumer's side of the delivery log: it records, never signs. */
  webhookRecords: WebhookStore;
};

export type TenantStores = PipelineTenantStores & {
  idempotency: IdempotencyStore;
  vault: CardVault;
  webhooks: WebhookStore;
};

export type PipelineStoreFactory = {
  env: string;
  /** Tenants and hashed API tokens (shared), reached with the caller's own client. */
  controlPlane: ControlPlane;
  forTenant(tenantId: string): PipelineTenantStores;
  /** Shared by every tenant (the processors' breakers), reached with the caller's own client. */
  processorHealth: ProcessorHealthStore;
};

/**
 * The stores of the functions that hold no keys (the pipeline's consumers, the authorizer,
 * the outbox relay): `client` is the function's own (the shared processor-health table),
 * `tenantClient` a tenant's tables (on AWS with that tenant's role).
 */
export function pipelineStoreFactory(
  client: DynamoDBDocumentClient,
  env: string,
  tenantClient: (tenantId: string) => DynamoDBDocumentClient = () => client,
): PipelineStoreFactory {
  const cache = new Map<string, PipelineTenantStores>();
  return {
    env,
    controlPlane: dynamoDbControlPlane(client, controlPlaneTable(env)),
    processorHealth: dynamoDbProcessorHealthStore(client, processorHealthTable(env)),
    forTenant(tenantId) {
      const cached = cache.get(tenantId);
      if (cached) return cached;
      const tables = tenantTables(env, tenantId);
      const documents = tenantClient(tenantId);
      const webhookTables = { endpoints: tables.webhookEndpoints, deliveries: tables.webhookDeliveries };
      const stores: PipelineTenantStores = {
        payments: dynamoDbPaymentRepository(documents, tables.payments),
        history: dynamoDbPaymentHistory(documents, tables.paymentEvents),
        writeTogether: writeTogether(documents),
        refunds: dynamoDbRefundStore(documents, tables.payments),
        attempts: dynamoDbAttemptLog(documents, tables.attempts),
        routedPayments: dynamoDbRoutedPayments(documents, tables),
        journal: (route) => dynamoDbAttemptJournal(documents, tables.attempts, route),
        risk: dynamoDbRiskStore(documents, tables.risk),
        webhookRecords: dynamoDbWebhookStore(documents, webhookTables, undefined),
      };
      cache.set(tenantId, stores);
      return stores;
    },
  };
}

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
  // One client per tenant, shared with the pipeline's stores built underneath.
  const clients = new Map<string, DynamoDBDocumentClient>();
  const clientOf = (tenantId: string) => {
    let found = clients.get(tenantId);
    if (!found) {
      found = tenantClient(tenantId);
      clients.set(tenantId, found);
    }
    return found;
  };
  const pipeline = pipelineStoreFactory(client, env, clientOf);
  const tenants = new Map<string, Promise<TenantRecord | undefined>>();
  const { controlPlane } = pipeline;
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
      const tenantDocuments = clientOf(tenantId);
      const stores: TenantStores = {
        ...pipeline.forTenant(tenantId),
        idempotency: dynamoDbIdempotencyStore(tenantDocuments, tables.idempotency),
        vault: dynamoDbCardVault(tenantDocuments, tables.vault, secrets.vaultKey),
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
