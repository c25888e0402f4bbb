// What each shared service may do inside one tenant's namespace. A tenant stack turns
// this into one IAM role per service whose statements name only that tenant's tables,
// bucket prefixes and key: least privilege is decided here, in one readable table.
import type { TenantTables } from "../consumers/shared/persistence/tables";

export type TableAccess = "read" | "readwrite";

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
  "payments-api": {
    tables: { payments: "readwrite", paymentEvents: "readwrite" },
    writesPrefixes: [],
  },
  risk: { tables: { payments: "read", paymentEvents: "read", risk: "readwrite" }, writesPrefixes: [] },
  execution: { tables: { payments: "read", paymentEvents: "read", vault: "read" }, writesPrefixes: [] },
  settlement: { tables: { payments: "read" }, writesPrefixes: ["settlements/"] },
  status: { tables: { payments: "readwrite", paymentEvents: "readwrite" }, writesPrefixes: [] },
  audit: { tables: {}, writesPrefixes: ["audit/"] },
};

export const TABLE_ACTIONS: Record<TableAccess, string[]> = {
  read: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"],
  readwrite: [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
  ],
};
