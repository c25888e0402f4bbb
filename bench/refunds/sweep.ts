// What the sweeper's refund job costs per sweep as a tenant's SETTLED payments grow: N
// settled rows (one in 100 with a bank refund waiting) in a local DynamoDB, then the time and
// DynamoDB calls of one `republishDueRefunds` (nothing is due: the refunds were just asked
// for, so it publishes nothing). Prints a line per N. `npx tsx bench/refunds/sweep.ts [N...]`

import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { republishDueRefunds } from "../../consumers/auth-sweeper/refunds";
import type { PaymentRecord, RefundRecord } from "../../consumers/persistence/ports/payments";
import { storeFactory } from "../../consumers/persistence/stores";
import { documentClient, dynamoDbClient } from "../../consumers/platform/aws";
import { createLogger, createTracer } from "../../consumers/platform/observability";
import { deriveSecrets } from "../../consumers/platform/secrets";
import { loadConfig } from "../../core/config";
import { TENANT_TABLE_DEFINITIONS, tenantTables } from "../../core/storage/tables";
import { startDynamoDb } from "../../local/dynamodb";

const sizes = process.argv.slice(2).map(Number);
const config = await loadConfig("config");
const dynamo = await startDynamoDb({ port: 0 });
let calls = 0;
const documents = documentClient({
  endpoint: dynamo.endpoint,
  onDynamoDbCall: () => {
    calls++;
  },
});
const { ttlAttribute: _ttl, ...definition } = TENANT_TABLE_DEFINITIONS.payments;
await dynamoDbClient({ endpoint: dynamo.endpoint }).send(
  new CreateTableCommand({ ...definition, TableName: tenantTables("local", "acme").payments }),
);
const stores = storeFactory(documents, "local", deriveSecrets("bench"));
const payments = stores.forTenant("acme").payments;
const ctx = {
  stores,
  publisher: { publish: async () => undefined },
  logger: createLogger("bench"),
  tracer: createTracer("bench"),
  now: () => new Date(),
  inProgressMs: 30_000,
};

const now = new Date().toISOString();
function row(i: number): PaymentRecord {
  const waiting = i % 100 === 0;
  const refund: RefundRecord = {
    refundId: `ref_${i}`,
    amountMinor: "500",
    currency: "EUR",
    status: "PENDING",
    reason: "OTHER",
    sequence: 5,
    eventId: `e${i}`,
    principal: "bench",
    createdAt: now,
    updatedAt: now,
    waits: true,
  };
  return {
    paymentId: `pay_${String(i).padStart(26, "0")}`,
    tenantId: "acme",
    status: "SETTLED",
    paymentType: waiting ? "SEPA_CREDIT" : "CARD",
    amountMinor: "2000",
    currency: "EUR",
    payer: { name: "Ann", cardLast4: "4242", cardBrand: "visa" },
    idempotencyKey: `k${i}`,
    correlationId: `c${i}`,
    processor: waiting ? "sepa_nordbank_sandbox" : "stripe_sandbox",
    railReference: "r",
    capturedMinor: "2000",
    refundableMinor: waiting ? 1500 : 2000,
    refunds: waiting ? { [refund.refundId]: refund } : {},
    ...(waiting ? { refundsWaiting: 1 } : {}),
    sequence: 4,
    createdAt: now,
    updatedAt: now,
  };
}

let written = 0;
for (const size of sizes.length > 0 ? sizes : [1_000, 5_000]) {
  for (; written < size; written += 50)
    await Promise.all(Array.from({ length: 50 }, (_, j) => payments.create(row(written + j), [])));
  calls = 0;
  const started = performance.now();
  await republishDueRefunds(ctx, "acme", config.routing.personalities);
  const ms = performance.now() - started;
  console.log(`${size} SETTLED rows: one refund sweep ${ms.toFixed(0)} ms, ${calls} DynamoDB calls`);
}
await dynamo.stop();
