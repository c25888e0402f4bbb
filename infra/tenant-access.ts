// What each shared service may do inside one tenant's namespace. A tenant stack turns
// this into one IAM role per service whose statements name only that tenant's tables,
// bucket prefixes and key: least privilege is decided here, in one readable table.
import { PAYMENT_INDEX, type TenantTables } from "../core/storage/tables";

/** `outbox`: find rows through the outbox index, read them, clear published events (no put, no delete). */
export type TableAccess = "read" | "readwrite" | "outbox";

export type ServiceAccess = {
  tables: Partial<Record<keyof TenantTables, TableAccess>>;
  /** Bucket key prefixes the service writes (audit/, settlements/). */
  writesPrefixes: string[];
};

export const TENANT_SERVICE_ACCESS: Record<string, ServiceAccess> = {
  initiation: {
    tables: {
      payments: "readwrite",
      paymentEvents: "readwrite",
      idempotency: "readwrite",
      vault: "readwrite",
    },
    writesPrefixes: [],
  },
  // idempotency: capturePayment / cancelPayment / refundPayment are idempotent by key.
  // attempts: Payment.attempts reads execution's attempt journal.
  "payments-api": {
    tables: { payments: "readwrite", paymentEvents: "readwrite", idempotency: "readwrite", attempts: "read" },
    writesPrefixes: [],
  },
  // payments, paymentEvents: risk records its decision's event on the payment (history entry
  // and row) in the decision's transaction.
  risk: {
    tables: { payments: "readwrite", paymentEvents: "readwrite", risk: "readwrite" },
    writesPrefixes: [],
  },
  // attempts: the attempt journal (a conditional put marks each processor attempt started).
  execution: {
    tables: { payments: "read", paymentEvents: "read", vault: "read", attempts: "readwrite" },
    writesPrefixes: [],
  },
  settlement: { tables: { payments: "read" }, writesPrefixes: ["settlements/"] },
  // attempts: an outcome's record carries its last attempt's answer onto the attempt's item.
  status: {
    tables: { payments: "readwrite", paymentEvents: "readwrite", attempts: "readwrite" },
    writesPrefixes: [],
  },
  audit: { tables: {}, writesPrefixes: ["audit/"] },
  // The scheduled relay (consumers/outbox-relay): finds rows through the payments table's
  // outbox index, reads each row and clears the events it published.
  "outbox-relay": { tables: { payments: "outbox" }, writesPrefixes: [] },
  // The scheduled authorization sweeper (consumers/auth-sweeper): finds AUTHORIZED rows
  // through the status index, reads the event it follows, writes the cancellation.
  "auth-sweeper": { tables: { payments: "readwrite", paymentEvents: "read" }, writesPrefixes: [] },
  // Webhooks (docs/webhooks.md): the API manages endpoints and the delivery log, the
  // consumer records deliveries, the scheduled sender attempts them.
  "webhooks-api": {
    tables: { webhookEndpoints: "readwrite", webhookDeliveries: "readwrite" },
    writesPrefixes: [],
  },
  webhooks: { tables: { webhookEndpoints: "read", webhookDeliveries: "readwrite" }, writesPrefixes: [] },
  "webhook-send": {
    tables: { webhookEndpoints: "readwrite", webhookDeliveries: "readwrite" },
    writesPrefixes: [],
  },
};

const READ = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"];

/** What a level allows on a table and on its indexes. */
export type TableGrant = {
  table: string[];
  indexes: string[];
  /** Only these indexes of the table (default: every one of them, each named). */
  onlyIndexes?: string[];
};

const READWRITE = [
  ...READ,
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
];

export const TABLE_GRANTS: Record<TableAccess, TableGrant> = {
  read: { table: READ, indexes: READ },
  readwrite: { table: READWRITE, indexes: READWRITE },
  outbox: {
    table: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
    indexes: ["dynamodb:Query"],
    onlyIndexes: [PAYMENT_INDEX.outbox],
  },
};
