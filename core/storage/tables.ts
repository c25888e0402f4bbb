// Names and key schemas of every table (docs/architecture.md, "Tables and buckets"),
// shared by provisioning (local), infra (CDK) and the adapters.

export type TenantTables = {
  payments: string;
  paymentEvents: string;
  idempotency: string;
  vault: string;
  risk: string;
  webhookEndpoints: string;
  webhookDeliveries: string;
  /** Execution's attempt journal (issue #14): one item per processor attempt of a payment. */
  attempts: string;
};

export function tenantTables(env: string, tenantId: string): TenantTables {
  const prefix = `${env}-${tenantId}`;
  return {
    payments: `${prefix}-payments`,
    paymentEvents: `${prefix}-payment-events`,
    idempotency: `${prefix}-idempotency`,
    vault: `${prefix}-vault`,
    risk: `${prefix}-risk`,
    webhookEndpoints: `${prefix}-webhook-endpoints`,
    webhookDeliveries: `${prefix}-webhook-deliveries`,
    attempts: `${prefix}-attempts`,
  };
}

export const controlPlaneTable = (env: string): string => `${env}-payrail-control`;

export const tenantBucket = (env: string, tenantId: string, region: string): string =>
  `${env}-payrail-${tenantId}-${region}`;

/** GSIs of the payments table; each sorts by `createdKey` = `<createdAt>#<paymentId>`. */
export const PAYMENT_INDEX = {
  /** Every payment of the tenant: `listKey` is the same constant on every row. */
  all: "byCreated",
  status: "byStatus",
  type: "byType",
  /** Sparse: only rows with unpublished events carry `outboxSince`. */
  outbox: "byOutbox",
  /**
   * Sparse: only rows with a refund whose answer waits for the sweeper carry
   * `refundWaitingShard` (consumers/persistence/dynamodb/refunds.ts), sorted by `createdKey`.
   */
  refundWaiting: "byRefundWaiting",
} as const;

/** GSIs of the webhook deliveries table (consumers/persistence/webhooks.ts). */
export const WEBHOOK_DELIVERY_INDEX = {
  /** An endpoint's deliveries by `createdKey` = `<createdAt>#<deliveryId>`. */
  endpoint: "byEndpoint",
  /** Sparse: only deliveries still to be attempted carry `pendingShard`, sorted by `nextAttemptAt`. */
  pending: "byPending",
} as const;

/** The attribute DynamoDB TTL deletes expired items by (epoch seconds). */
export const TTL_ATTRIBUTE = "expiresAt";

type KeyElement = { AttributeName: string; KeyType: "HASH" | "RANGE" };

/** A table's keys and indexes, in the shape of DynamoDB's CreateTable input (less its name). */
export type TableDefinition = {
  BillingMode: "PAY_PER_REQUEST";
  AttributeDefinitions: { AttributeName: string; AttributeType: "S" | "N" }[];
  KeySchema: KeyElement[];
  GlobalSecondaryIndexes?: {
    IndexName: string;
    KeySchema: KeyElement[];
    Projection: { ProjectionType: "ALL" | "KEYS_ONLY" };
  }[];
  ttlAttribute?: string;
};

const S = "S" as const;
const N = "N" as const;
const onDemand = { BillingMode: "PAY_PER_REQUEST" as const };
const hashKey = (name: string, type: typeof S | typeof N = S) => ({
  AttributeDefinitions: [{ AttributeName: name, AttributeType: type }],
  KeySchema: [{ AttributeName: name, KeyType: "HASH" as const }],
});
const byCreated = (IndexName: string, partition: string) => ({
  IndexName,
  KeySchema: [
    { AttributeName: partition, KeyType: "HASH" as const },
    { AttributeName: "createdKey", KeyType: "RANGE" as const },
  ],
  Projection: { ProjectionType: "ALL" as const },
});

export const TENANT_TABLE_DEFINITIONS: Record<keyof TenantTables, TableDefinition> = {
  payments: {
    ...onDemand,
    AttributeDefinitions: [
      { AttributeName: "paymentId", AttributeType: S },
      { AttributeName: "listKey", AttributeType: S },
      { AttributeName: "status", AttributeType: S },
      { AttributeName: "paymentType", AttributeType: S },
      { AttributeName: "createdKey", AttributeType: S },
      { AttributeName: "outboxShard", AttributeType: S },
      { AttributeName: "outboxSince", AttributeType: S },
      { AttributeName: "refundWaitingShard", AttributeType: S },
    ],
    KeySchema: [{ AttributeName: "paymentId", KeyType: "HASH" }],
    GlobalSecondaryIndexes: [
      byCreated(PAYMENT_INDEX.all, "listKey"),
      byCreated(PAYMENT_INDEX.status, "status"),
      byCreated(PAYMENT_INDEX.type, "paymentType"),
      {
        IndexName: PAYMENT_INDEX.outbox,
        KeySchema: [
          { AttributeName: "outboxShard", KeyType: "HASH" },
          { AttributeName: "outboxSince", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "KEYS_ONLY" },
      },
      {
        IndexName: PAYMENT_INDEX.refundWaiting,
        KeySchema: [
          { AttributeName: "refundWaitingShard", KeyType: "HASH" },
          { AttributeName: "createdKey", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "KEYS_ONLY" },
      },
    ],
  },
  paymentEvents: {
    ...onDemand,
    AttributeDefinitions: [
      { AttributeName: "paymentId", AttributeType: S },
      { AttributeName: "sequence", AttributeType: N },
    ],
    KeySchema: [
      { AttributeName: "paymentId", KeyType: "HASH" },
      { AttributeName: "sequence", KeyType: "RANGE" },
    ],
  },
  idempotency: { ...onDemand, ...hashKey("key"), ttlAttribute: TTL_ATTRIBUTE },
  vault: { ...onDemand, ...hashKey("token") },
  risk: { ...onDemand, ...hashKey("counterKey"), ttlAttribute: TTL_ATTRIBUTE },
  webhookEndpoints: { ...onDemand, ...hashKey("endpointId") },
  webhookDeliveries: {
    ...onDemand,
    AttributeDefinitions: [
      { AttributeName: "deliveryId", AttributeType: S },
      { AttributeName: "endpointId", AttributeType: S },
      { AttributeName: "createdKey", AttributeType: S },
      { AttributeName: "pendingShard", AttributeType: S },
      { AttributeName: "nextAttemptAt", AttributeType: S },
    ],
    KeySchema: [{ AttributeName: "deliveryId", KeyType: "HASH" }],
    GlobalSecondaryIndexes: [
      byCreated(WEBHOOK_DELIVERY_INDEX.endpoint, "endpointId"),
      {
        IndexName: WEBHOOK_DELIVERY_INDEX.pending,
        KeySchema: [
          { AttributeName: "pendingShard", KeyType: "HASH" },
          { AttributeName: "nextAttemptAt", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
    ttlAttribute: TTL_ATTRIBUTE,
  },
  // A payment's attempts by number (`attemptId` = `<paymentId>#<attempt>`): one Query lists
  // them in order, a conditional put on the key marks one started exactly once.
  attempts: {
    ...onDemand,
    AttributeDefinitions: [
      { AttributeName: "paymentId", AttributeType: S },
      { AttributeName: "attempt", AttributeType: N },
    ],
    KeySchema: [
      { AttributeName: "paymentId", KeyType: "HASH" },
      { AttributeName: "attempt", KeyType: "RANGE" },
    ],
  },
};

export const CONTROL_PLANE_DEFINITION: TableDefinition = { ...onDemand, ...hashKey("pk") };

// Processor health (issue #14): shared by every tenant, like the control plane. Per
// processor one breaker item (`slot` 0) and one counter item per window bucket (`slot` =
// the bucket's start, epoch ms), expired by TTL.
export const processorHealthTable = (env: string): string => `${env}-payrail-processor-health`;

export const PROCESSOR_HEALTH_DEFINITION: TableDefinition = {
  ...onDemand,
  AttributeDefinitions: [
    { AttributeName: "processor", AttributeType: S },
    { AttributeName: "slot", AttributeType: N },
  ],
  KeySchema: [
    { AttributeName: "processor", KeyType: "HASH" },
    { AttributeName: "slot", KeyType: "RANGE" },
  ],
  ttlAttribute: TTL_ATTRIBUTE,
};
