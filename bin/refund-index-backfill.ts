// `payrail refunds backfill-index (--tenant <id> | --all) [--aws]`: once per deployment made
// before the sparse byRefundWaiting index. CDK adds the index to an existing payments table,
// but a row whose refund waited before then lacks `refundWaitingShard`, so the sweeper would
// never see it. This lists such rows by the refund store's rule (core/storage/refund-waiting.ts),
// each with a conditional write (still waiting, still unlisted): idempotent, and safe beside
// a running sweeper. With --aws the deployed tables (default AWS credentials), else the
// running local stack found through --data.
import { resolve } from "node:path";
import { type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { conditionally } from "../consumers/persistence/dynamodb/conditional";
import { documentClient } from "../consumers/platform/aws";
import { loadConfig } from "../core/config";
import { TENANT_ID } from "../core/config/patterns";
import { REFUND_WAITING_SHARD, UNLISTED_WAITING_ROW } from "../core/storage/refund-waiting";
import { tenantTables } from "../core/storage/tables";
import { ENV } from "../local/start";
import { readLocalStack } from "./local-stack";

export type BackfillArgs = {
  tenant?: string;
  all: boolean;
  aws: boolean;
  config?: string;
  data?: string;
  envName?: string;
};

/** Lists in byRefundWaiting the rows of `table` with a refund waiting but no listing; answers how many it listed. */
export async function backfillRefundWaiting(client: DynamoDBDocumentClient, table: string): Promise<number> {
  let listed = 0;
  let start: Record<string, unknown> | undefined;
  do {
    // A filtered Scan still reads every row; it returns only those to list.
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        ProjectionExpression: "paymentId",
        FilterExpression: UNLISTED_WAITING_ROW.expression,
        ExpressionAttributeValues: UNLISTED_WAITING_ROW.values,
        ExclusiveStartKey: start,
      }),
    );
    for (const { paymentId } of page.Items ?? []) {
      const wrote = await conditionally(() =>
        client.send(
          new UpdateCommand({
            TableName: table,
            Key: { paymentId },
            UpdateExpression: `SET ${REFUND_WAITING_SHARD.attribute} = :shard`,
            ConditionExpression: UNLISTED_WAITING_ROW.expression,
            ExpressionAttributeValues: {
              ...UNLISTED_WAITING_ROW.values,
              ":shard": REFUND_WAITING_SHARD.value,
            },
          }),
        ),
      );
      if (wrote) listed++;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return listed;
}

export async function refundIndexBackfill(args: BackfillArgs, out: (line: string) => void): Promise<number> {
  if (args.all === Boolean(args.tenant)) {
    out("give either --tenant <id> or --all (every tenant in --config)");
    return 2;
  }
  if (args.tenant && !TENANT_ID.test(args.tenant)) {
    out(`tenant id "${args.tenant}" must match ${TENANT_ID}`);
    return 2;
  }
  let client: DynamoDBDocumentClient;
  let env: string;
  if (args.aws) {
    client = documentClient();
    env = args.envName ?? process.env.PAYRAIL_ENV ?? "dev";
  } else {
    const stack = await readLocalStack(resolve(args.data ?? ".payrail"));
    if (!stack) {
      out("no local stack running: start it (npm start), or pass --aws");
      return 1;
    }
    client = documentClient({ endpoint: stack.endpoints.dynamodb });
    env = args.envName ?? ENV;
  }
  const tenants = args.tenant
    ? [args.tenant]
    : [...(await loadConfig(resolve(args.config ?? "config"))).tenants.keys()];
  try {
    for (const tenantId of tenants) {
      const table = tenantTables(env, tenantId).payments;
      out(`${table}: listed ${await backfillRefundWaiting(client, table)} rows with a refund waiting`);
    }
  } finally {
    client.destroy();
  }
  return 0;
}
