// What the sweeper's refund job costs per sweep as a tenant's SETTLED payments grow: N
// settled rows (one in 100 with a bank refund waiting, reserved through the refund store as
// the API does) in a local DynamoDB, then the time, DynamoDB calls and rows read of one
// `republishDueRefunds` (nothing is due: the refunds were just asked for, so it publishes
// nothing). Rows read: the index entries its Queries read (ScannedCount) and the items its
// BatchGetItems returned. Prints a line per N. `npx tsx bench/refunds/sweep.ts [N...]`

import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { republishDueRefunds } from "../../consumers/auth-sweeper/refunds";
import type { PaymentRecord } from "../../consumers/persistence/ports/payments";
import { storeFactory } from "../../consumers/persistence/stores";
import { dynamoDbClient } from "../../consumers/platform/aws";
import { createLogger, createTracer } from "../../consumers/platform/observability";
import { deriveSecrets } from "../../consumers/platform/secrets";
import { loadConfig } from "../../core/config";
import { TENANT_TABLE_DEFINITIONS, tenantTables } from "../../core/storage/tables";
import { startDynamoDb } from "../../local/dynamodb";
import { pendingRefund, settledPayment } from "../../test/integration/persistence/refund-rows";

const sizes = process.argv.slice(2).map(Number);
const config = await loadConfig("config");
const dynamo = await startDynamoDb({ port: 0 });
let calls = 0;
let indexEntries = 0;
let items = 0;
const client = dynamoDbClient({
  endpoint: dynamo.endpoint,
  onDynamoDbCall: () => {
    calls++;
  },
});
client.middlewareStack.add(
  (next) => async (args) => {
    const result = await next(args);
    const output = result.output as { ScannedCount?: number; Responses?: Record<string, unknown[]> };
    indexEntries += output.ScannedCount ?? 0;
    for (const found of Object.values(output.Responses ?? {})) items += found.length;
    return result;
  },
  { step: "initialize", name: "benchRowsRead" },
);
const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
const { ttlAttribute: _ttl, ...definition } = TENANT_TABLE_DEFINITIONS.payments;
await client.send(
  new CreateTableCommand({ ...definition, TableName: tenantTables("local", "acme").payments }),
);
const stores = storeFactory(documents, "local", deriveSecrets("bench"));
const tenant = stores.forTenant("acme");
const ctx = {
  stores,
  publisher: { publish: async () => undefined },
  logger: createLogger("bench"),
  tracer: createTracer("bench"),
  now: () => new Date(),
  inProgressMs: 30_000,
};

const now = new Date().toISOString();
const waiting = (i: number) => i % 100 === 0;
function row(i: number): PaymentRecord {
  const paymentId = `pay_${String(i).padStart(26, "0")}`;
  if (waiting(i)) return settledPayment("acme", paymentId, now);
  return {
    ...settledPayment("acme", paymentId, now),
    paymentType: "CARD",
    payer: { name: "Ann", cardLast4: "4242", cardBrand: "visa" },
    processor: "stripe_sandbox",
  };
}

/** A bank refund of 5.00 waiting for its settlement day, reserved as refundPayment does. */
async function reserveWaitingRefund(i: number): Promise<void> {
  const refundId = `ref_${i}`;
  const reserved = await tenant.refunds.reserve(row(i).paymentId, {
    refund: pendingRefund(refundId, true, now),
    payment: { status: "SETTLED", hasRefunds: true },
    seenAllocated: undefined,
    allocated: 6,
    emit: [],
  });
  if (!reserved) throw new Error(`refund ${refundId} was not reserved`);
}

let written = 0;
for (const size of sizes.length > 0 ? sizes : [1_000, 5_000]) {
  for (; written < size; written += 50)
    await Promise.all(
      Array.from({ length: 50 }, async (_, j) => {
        const i = written + j;
        await tenant.payments.create(row(i), []);
        if (waiting(i)) await reserveWaitingRefund(i);
      }),
    );
  calls = 0;
  indexEntries = 0;
  items = 0;
  const started = performance.now();
  await republishDueRefunds(ctx, "acme", config.routing.personalities);
  const ms = performance.now() - started;
  console.log(
    `${size} SETTLED rows (${size / 100} with a refund waiting): one refund sweep ${ms.toFixed(0)} ms, ${calls} DynamoDB calls, rows read: ${indexEntries} index entries + ${items} items`,
  );
}
await dynamo.stop();
