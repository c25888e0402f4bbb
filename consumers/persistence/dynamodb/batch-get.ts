// Consistent BatchGetItem over one or more tables: at most 100 keys a call, every call
// asking again for what DynamoDB left unprocessed (throttling, the 16 MB limit).
import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { retrying } from "../../../core/retry";

type Key = Record<string, unknown>;

type Item = Record<string, unknown>;

/** BatchGetItem takes at most 100 keys. */
const READ_BATCH = 100;

/** Rounds of asking for UnprocessedKeys before giving up. */
const UNPROCESSED_RETRY = { maxAttempts: 8, baseMs: 10, capMs: 200 };

/** The items found per table (an absent key is simply not there); `keys` per table name. */
export async function batchGet(
  client: DynamoDBDocumentClient,
  keys: ReadonlyMap<string, readonly Key[]>,
): Promise<Map<string, Item[]>> {
  const found = new Map<string, Item[]>([...keys.keys()].map((table) => [table, []]));
  const all = [...keys].flatMap(([table, ofTable]) => ofTable.map((key) => ({ table, key })));
  const chunks: (typeof all)[] = [];
  for (let at = 0; at < all.length; at += READ_BATCH) chunks.push(all.slice(at, at + READ_BATCH));
  await Promise.all(
    chunks.map(async (chunk) => {
      let asked: Record<string, { Keys: Key[]; ConsistentRead: true }> = {};
      for (const { table, key } of chunk) {
        asked[table] ??= { Keys: [], ConsistentRead: true };
        asked[table].Keys.push(key);
      }
      await retrying(async () => {
        const result = await client.send(new BatchGetCommand({ RequestItems: asked }));
        for (const [table, items] of Object.entries(result.Responses ?? {})) found.get(table)?.push(...items);
        const left = Object.entries(result.UnprocessedKeys ?? {}).filter(
          ([, r]) => (r.Keys ?? []).length > 0,
        );
        asked = Object.fromEntries(
          left.map(([table, r]) => [table, { Keys: r.Keys as Key[], ConsistentRead: true as const }]),
        );
        if (left.length > 0) throw new Error(`batchGet: keys left unprocessed in ${left.map(([t]) => t)}`);
      }, UNPROCESSED_RETRY);
    }),
  );
  return found;
}
