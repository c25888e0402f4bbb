// The payments table `<env>-<tenant>-payments`: one row per payment, every write
// conditional (create: not exists; update: on the expected sequence). Events written
// with a change travel in the same item as its outbox (see ./outbox).
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { PAYMENT_INDEX } from "../../../core/storage/tables";
import type { OutboxEvent, OutboxSnapshot } from "../ports/outbox";
import {
  CREATED_OUTBOX_VERSION,
  type PaymentChange,
  type PaymentFilter,
  type PaymentRecord,
  type PaymentRepository,
} from "../ports/payments";
import { batchGet } from "./batch-get";
import { conditionally } from "./conditional";
import { cursorOf, startKeyOf } from "./cursor";
import { asWrite } from "./transaction";

/** Index attributes every row carries besides the record itself. */
const LIST_KEY = "all";

const OUTBOX_SHARD = "pending";

const INTERNAL = [
  "listKey",
  "createdKey",
  "outbox",
  "outboxShard",
  "outboxSince",
  "outboxVersion",
  // The refund store's (./refunds): the row has a refund waiting for the sweeper.
  "refundWaitingShard",
] as const;
/**
 * The refund ledger belongs to the refund store (./refunds): a change can only start it, so
 * PaymentSettled keeps the refunds taken while the payment was EXECUTED.
 */
const LEDGER: ReadonlySet<string> = new Set(["refunds", "refundableMinor"]);

function toRecord(item: Record<string, unknown>): PaymentRecord {
  const record = { ...item };
  for (const attribute of INTERNAL) delete record[attribute];
  return record as PaymentRecord;
}

/** A payments item as `get` answers it: the row and its unpublished events. */
export function storedRow<E extends OutboxEvent>(item: Record<string, unknown>) {
  return {
    payment: toRecord(item),
    pendingEvents: (item.outbox as E[] | undefined) ?? [],
    outboxVersion: Number(item.outboxVersion ?? 0),
  };
}

function createdRange(filter: PaymentFilter): { condition?: string; values: Record<string, string> } {
  // createdKey is `<ISO createdAt>#<id>`: the bounds below compare on the timestamp prefix.
  const after = filter.createdAfter && new Date(filter.createdAfter).toISOString();
  const before = filter.createdBefore && new Date(filter.createdBefore).toISOString();
  if (after && before)
    return {
      condition: "createdKey BETWEEN :after AND :before",
      values: { ":after": after, ":before": before },
    };
  if (after) return { condition: "createdKey > :after", values: { ":after": after } };
  if (before) return { condition: "createdKey < :before", values: { ":before": before } };
  return { values: {} };
}

function listQuery(tableName: string, filter: PaymentFilter): QueryCommandInput {
  const [index, attribute, value] = filter.status
    ? [PAYMENT_INDEX.status, "status", filter.status]
    : filter.paymentType
      ? [PAYMENT_INDEX.type, "paymentType", filter.paymentType]
      : [PAYMENT_INDEX.all, "listKey", LIST_KEY];
  const range = createdRange(filter);
  const typeAlsoFiltered = filter.status && filter.paymentType;
  return {
    TableName: tableName,
    IndexName: index,
    KeyConditionExpression: `#partition = :partition${range.condition ? ` AND ${range.condition}` : ""}`,
    ...(typeAlsoFiltered ? { FilterExpression: "paymentType = :type" } : {}),
    ExpressionAttributeNames: { "#partition": attribute },
    ExpressionAttributeValues: {
      ":partition": value,
      ...range.values,
      ...(typeAlsoFiltered ? { ":type": filter.paymentType } : {}),
    },
    ScanIndexForward: false,
  };
}

/**
 * The UpdateExpression assignments that append `emit` to the row's outbox (none when
 * empty): appended to whatever is still pending; `outboxSince` keeps the oldest pending time.
 * `outboxVersion` only ever grows (emptying the outbox keeps it), so a snapshot read before
 * the outbox was emptied and refilled never matches the refilled one: a clear made from it
 * would drop events nobody published.
 */
export function outboxAppend(
  emit: readonly OutboxEvent[],
  names: Record<string, string>,
  values: Record<string, unknown>,
): string[] {
  if (emit.length === 0) return [];
  names["#outbox"] = "outbox";
  values[":emit"] = emit;
  values[":none"] = [];
  values[":shard"] = OUTBOX_SHARD;
  values[":since"] = `${new Date().toISOString()}#`;
  values[":zero"] = 0;
  values[":one"] = 1;
  return [
    "#outbox = list_append(if_not_exists(#outbox, :none), :emit)",
    "outboxShard = :shard",
    "outboxSince = if_not_exists(outboxSince, :since)",
    "outboxVersion = if_not_exists(outboxVersion, :zero) + :one",
  ];
}

export function dynamoDbPaymentRepository<E extends OutboxEvent = OutboxEvent>(
  client: DynamoDBDocumentClient,
  tableName: string,
): PaymentRepository<E> {
  const outboxAttributes = (events: E[], now: string) =>
    events.length > 0
      ? {
          outbox: events,
          outboxShard: OUTBOX_SHARD,
          outboxSince: `${now}#`,
          outboxVersion: CREATED_OUTBOX_VERSION,
        }
      : {};

  async function getItem(paymentId: string) {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { paymentId }, ConsistentRead: true }),
    );
    return Item;
  }

  const found = (item: Record<string, unknown>) => storedRow<E>(item);

  function updateOf(paymentId: string, change: PaymentChange<E>) {
    const names: Record<string, string> = { "#sequence": "sequence" };
    const values: Record<string, unknown> = { ":expectedSequence": change.expect.sequence };
    const assignments: string[] = [];
    for (const [index, [attribute, value]] of Object.entries(change.set).entries()) {
      if (value === undefined) continue;
      names[`#s${index}`] = attribute;
      values[`:s${index}`] = value;
      assignments.push(
        LEDGER.has(attribute)
          ? `#s${index} = if_not_exists(#s${index}, :s${index})`
          : `#s${index} = :s${index}`,
      );
    }
    const emit = change.emit ?? [];
    assignments.push(...outboxAppend(emit, names, values));
    if (assignments.length === 0) throw new Error("a payment change must set something");
    const conditions = ["#sequence = :expectedSequence"];
    if (change.expect.status) {
      names["#status"] = "status";
      values[":expectedStatus"] = change.expect.status;
      conditions.push("#status = :expectedStatus");
    }
    if (change.expect.notReviewed) conditions.push("attribute_not_exists(review)");
    for (const attribute of change.expect.absent ?? []) conditions.push(`attribute_not_exists(${attribute})`);
    if (change.clearOutbox) {
      if (emit.length > 0) throw new Error("a payment change cannot both emit and clear the outbox");
      names["#outbox"] = "outbox";
      values[":outboxVersion"] = change.clearOutbox.version;
      values[":outboxStep"] = 1;
      values[":outboxNone"] = 0;
      conditions.push("(attribute_not_exists(#outbox) OR outboxVersion = :outboxVersion)");
      assignments.push("outboxVersion = if_not_exists(outboxVersion, :outboxNone) + :outboxStep");
    }
    // The version stays (see outboxAppend).
    const remove = change.clearOutbox ? " REMOVE #outbox, outboxShard, outboxSince" : "";
    return {
      TableName: tableName,
      Key: { paymentId },
      UpdateExpression: `SET ${assignments.join(", ")}${remove}`,
      ConditionExpression: conditions.join(" AND "),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  const createPut = (payment: PaymentRecord, emit: E[]) => ({
    TableName: tableName,
    Item: {
      ...payment,
      listKey: LIST_KEY,
      createdKey: `${payment.createdAt}#${payment.paymentId}`,
      ...outboxAttributes(emit, payment.createdAt),
    },
    ConditionExpression: "attribute_not_exists(paymentId)",
  });

  return {
    create(payment, emit) {
      return conditionally(() => client.send(new PutCommand(createPut(payment, emit))));
    },

    createWrite: (payment, emit) => asWrite({ Put: createPut(payment, emit) }),

    async get(paymentId) {
      const item = await getItem(paymentId);
      return item ? found(item) : undefined;
    },

    async getMany(paymentIds) {
      const keys = [...new Set(paymentIds)].map((paymentId) => ({ paymentId }));
      const items = (await batchGet(client, new Map([[tableName, keys]]))).get(tableName) ?? [];
      return new Map(items.map((item) => [String(item.paymentId), found(item)]));
    },

    update(paymentId, change) {
      return conditionally(() => client.send(new UpdateCommand(updateOf(paymentId, change))));
    },

    updateWrite: (paymentId, change) => asWrite({ Update: updateOf(paymentId, change) }),

    async list(filter, limit, cursor) {
      const page = await client.send(
        new QueryCommand({
          ...listQuery(tableName, filter),
          Limit: limit,
          ExclusiveStartKey: startKeyOf(cursor),
        }),
      );
      return { items: (page.Items ?? []).map(toRecord), cursor: cursorOf(page.LastEvaluatedKey) };
    },

    async pending(limit, pendingBefore) {
      // `outboxSince` is `<ISO time>#`: rows pending since `pendingBefore` or later sort after it.
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: PAYMENT_INDEX.outbox,
          KeyConditionExpression: `outboxShard = :shard${pendingBefore ? " AND outboxSince < :before" : ""}`,
          ExpressionAttributeValues: {
            ":shard": OUTBOX_SHARD,
            ...(pendingBefore ? { ":before": pendingBefore } : {}),
          },
          Limit: limit,
        }),
      );
      const found = await Promise.all((page.Items ?? []).map((key) => getItem(String(key.paymentId))));
      return found.flatMap((item) =>
        item?.outbox
          ? [
              {
                paymentId: String(item.paymentId),
                events: item.outbox as E[],
                version: Number(item.outboxVersion),
              },
            ]
          : [],
      );
    },

    async markPublished(paymentId, eventIds, seen) {
      // Read-modify-write guarded by the outbox version, so events added meanwhile are kept.
      // A caller that knows the outbox (it just wrote or read it) saves the first read.
      let snapshot: OutboxSnapshot<E> | undefined = seen;
      for (let attempt = 0; attempt < 5; attempt++) {
        if (!snapshot) {
          const item = await getItem(paymentId);
          snapshot = {
            version: Number(item?.outboxVersion ?? 0),
            events: (item?.outbox as E[] | undefined) ?? [],
          };
        }
        const rest = snapshot.events.filter((event) => !eventIds.includes(event.eventId));
        if (rest.length === snapshot.events.length) return;
        const { version } = snapshot;
        const cleared = await conditionally(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { paymentId },
              UpdateExpression:
                rest.length > 0
                  ? "SET #outbox = :rest, outboxVersion = :seen + :one"
                  : "SET outboxVersion = :seen + :one REMOVE #outbox, outboxShard, outboxSince",
              ConditionExpression: "outboxVersion = :seen",
              ExpressionAttributeNames: { "#outbox": "outbox" },
              ExpressionAttributeValues: {
                ":seen": version,
                ":one": 1,
                ...(rest.length > 0 ? { ":rest": rest } : {}),
              },
            }),
          ),
        );
        if (cleared) return;
        snapshot = undefined;
      }
      throw new Error(`outbox of ${paymentId} kept changing; left for the relay`);
    },
  };
}
