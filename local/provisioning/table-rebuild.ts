// Rebuilding a local table that lacks an index of its definition (a data dir made before
// the index existed): dynalite accepts an UpdateTable that creates an index but ignores it,
// so the table is made anew with its items. Nothing is deleted before every item is in a
// backup file in the data dir, written under a temporary name, fsynced and then renamed: a
// `<table>.jsonl` present is always complete. A start that finds one (a crash mid-rebuild)
// finishes the restore from it, whatever state the table is in; the restore only puts, so
// doing it twice changes nothing.
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  paginateScan,
  ResourceNotFoundException,
  type TableDescription,
  type WriteRequest,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from "@aws-sdk/client-dynamodb";
import { retrying } from "../../core/retry";
import type { TableDefinition } from "../../core/storage/tables";
import { TABLE_WAIT } from "./table-wait";

export type Item = Record<string, AttributeValue>;

/** What a rebuild needs beyond the table: where its backup goes, and what to say. */
export type TableUpgrade = {
  /** The directory of the backup files, in the data dir (created when needed). */
  dir: string;
  /** Applied to each item as it is restored (e.g. listing it in the new index). */
  upgradeItem?: (item: Item) => Item;
  log: (line: string) => void;
};

/** BatchWriteItem takes at most 25 requests. */
const WRITE_BATCH = 25;

/** Rounds of writing again what DynamoDB left unprocessed before giving up. */
const UNPROCESSED_RETRY = { maxAttempts: 8, baseMs: 10, capMs: 200 };

const backupFile = (dir: string, table: string) => join(dir, `${table}.jsonl`);

/**
 * Finishes a rebuild a crash interrupted, if `<table>.jsonl` is there: the table is made with
 * the full definition (an old one still standing is replaced) and every backed-up item put
 * back. Answers whether there was one; afterwards the table has the definition's indexes.
 */
export async function resumeRebuild(
  client: DynamoDBClient,
  name: string,
  definition: TableDefinition,
  upgrade: TableUpgrade,
): Promise<boolean> {
  const file = backupFile(upgrade.dir, name);
  // A backup still being written when the crash came: the table was not touched yet.
  await rm(`${file}.partial`, { force: true });
  if (!(await exists(file))) return false;
  const missing = await missingIndexes(client, name, definition);
  if (missing === undefined) await createTable(client, name, definition);
  else if (missing.length > 0) await replaceTable(client, name, definition);
  const count = await restore(client, name, file, upgrade.upgradeItem);
  await rm(file);
  upgrade.log(`DynamoDB: restored ${name} from ${file} after an interrupted rebuild (${count} items)`);
  return true;
}

/** The indexes of the definition the table lacks; undefined when there is no such table. */
export async function missingIndexes(
  client: DynamoDBClient,
  name: string,
  definition: TableDefinition,
): Promise<string[] | undefined> {
  let table: TableDescription | undefined;
  try {
    table = (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
  const present = new Set((table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  return (definition.GlobalSecondaryIndexes ?? [])
    .map((index) => index.IndexName ?? "")
    .filter((index) => !present.has(index));
}

/** Rebuilds an existing table with the full definition, keeping every item; `missing` names the indexes it lacked. */
export async function rebuildTable(
  client: DynamoDBClient,
  name: string,
  definition: TableDefinition,
  upgrade: TableUpgrade,
  missing: string[],
): Promise<void> {
  const file = backupFile(upgrade.dir, name);
  await backUp(client, name, file);
  await replaceTable(client, name, definition);
  const count = await restore(client, name, file, upgrade.upgradeItem);
  await rm(file);
  upgrade.log(`DynamoDB: rebuilt ${name} with index ${missing.join(", ")} (${count} items)`);
}

/** Every item (consistent Scan, paged) to `file`, one JSON line each. */
async function backUp(client: DynamoDBClient, name: string, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const handle = await open(partial, "w", 0o600);
  try {
    for await (const page of paginateScan({ client }, { TableName: name, ConsistentRead: true })) {
      const items = page.Items ?? [];
      if (items.length > 0) await handle.write(items.map((item) => `${encodeItem(item)}\n`).join(""));
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partial, file);
  await syncDir(dirname(file));
}

/** Puts every item of `file` into the table, 25 a call, again for what was left unprocessed. */
async function restore(
  client: DynamoDBClient,
  name: string,
  file: string,
  upgradeItem: (item: Item) => Item = (item) => item,
): Promise<number> {
  const lines = createInterface({
    input: createReadStream(file, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let batch: WriteRequest[] = [];
  let count = 0;
  for await (const line of lines) {
    if (line.trim() === "") continue;
    batch.push({ PutRequest: { Item: upgradeItem(decodeItem(line)) } });
    count++;
    if (batch.length === WRITE_BATCH) {
      await writeBatch(client, name, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await writeBatch(client, name, batch);
  return count;
}

async function writeBatch(client: DynamoDBClient, name: string, requests: WriteRequest[]): Promise<void> {
  let left = requests;
  await retrying(async () => {
    const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [name]: left } }));
    left = result.UnprocessedItems?.[name] ?? [];
    if (left.length > 0) throw new Error(`rebuild of ${name}: ${left.length} items left unprocessed`);
  }, UNPROCESSED_RETRY);
}

async function replaceTable(
  client: DynamoDBClient,
  name: string,
  definition: TableDefinition,
): Promise<void> {
  try {
    await client.send(new DeleteTableCommand({ TableName: name }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await waitUntilTableNotExists({ client, ...TABLE_WAIT }, { TableName: name });
  await createTable(client, name, definition);
}

async function createTable(client: DynamoDBClient, name: string, definition: TableDefinition): Promise<void> {
  // dynalite has no TTL API (./resources): only the key schema and indexes matter here.
  const { ttlAttribute: _ttl, ...create } = definition;
  await client.send(new CreateTableCommand({ ...create, TableName: name }));
  await waitUntilTableExists({ client, ...TABLE_WAIT }, { TableName: name });
}

/**
 * An item as DynamoDB JSON, binary values (Uint8Array) as `{"$base64": …}`: no attribute
 * name's value is ever a string there (always an AttributeValue object), so the mark cannot clash.
 */
export function encodeItem(item: Item): string {
  return JSON.stringify(item, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return raw instanceof Uint8Array ? { $base64: Buffer.from(raw).toString("base64") } : value;
  });
}

export function decodeItem(line: string): Item {
  return JSON.parse(line, (_key, value) =>
    value !== null && typeof value === "object" && typeof value.$base64 === "string"
      ? new Uint8Array(Buffer.from(value.$base64, "base64"))
      : value,
  ) as Item;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** Makes the rename durable: the directory entry, not only the file's bytes. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
