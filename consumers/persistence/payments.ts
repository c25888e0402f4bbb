// The payments table `<env>-<tenant>-payments`: one row per payment, every write
// conditional (create: not exists; update: on the expected sequence). Events written
// with a change travel in the same item as its outbox (see ./outbox).
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { PartyData } from "../../core/events";
import type {
  CaptureMethod,
  PaymentStatus,
  PaymentType,
  RefundReason,
  RefundStatus,
  RiskDecision,
} from "../../core/generated/graphql";
import { retrying } from "../../core/retry";
import { PAYMENT_INDEX } from "../../core/storage/tables";
import { conditionally } from "./conditional";
import { cursorOf, startKeyOf } from "./cursor";
import type { Outbox, OutboxEvent, OutboxSnapshot } from "./outbox";
import type { TransactionWrite } from "./transaction";

/** A party as stored: exactly what events carry (card as vault token + last4/brand/expiry). */
export type StoredParty = PartyData;

export type RiskRecord = { decision: RiskDecision; score: number; reasons: string[] };
export type ReviewRecord = {
  decision: "APPROVE" | "DECLINE";
  reason: string;
  principal: string;
  /** The PaymentReviewed event this decision emitted. */
  eventId: string;
  sequence: number;
  at: string;
  /** Epoch ms until which the writer is publishing the event; others wait rather than publish it too. */
  publishingUntil: number;
};

/** One refund as the payment row keeps it (`refunds` map, keyed by refund id). */
export type RefundRecord = {
  refundId: string;
  amountMinor: string;
  currency: string;
  status: RefundStatus;
  reason: RefundReason;
  failureReason?: string;
  /** Sequence of its RefundRequested; its answer takes the next one. */
  sequence: number;
  /** Asked for while the payment was EXECUTED: its answer follows the payment's SETTLED. */
  beforeSettlement?: boolean;
  /** Its answer waits for the sweeper (a bank's settlement day, or beforeSettlement); counted in `refundsWaiting`. */
  waits?: boolean;
  /** When the sweeper last asked the rail again for its answer (consumers/auth-sweeper/refunds). */
  askedAt?: string;
  eventId: string;
  principal: string;
  createdAt: string;
  updatedAt: string;
};

/** An API action (capture, cancel) recorded on the row with the event it emitted. */
export type ActionRecord = {
  eventId: string;
  sequence: number;
  principal: string;
  at: string;
  /** capture: the amount asked for; cancel: the reason. */
  amountMinor?: string;
  reason?: string;
};

export type PaymentRecord = {
  paymentId: string;
  tenantId: string;
  status: PaymentStatus;
  paymentType: PaymentType;
  /** Integer minor units as a decimal string (bigint on the way in and out of core). */
  amountMinor: string;
  currency: string;
  payer: StoredParty;
  payee?: StoredParty;
  reference?: string;
  metadata?: string;
  idempotencyKey: string;
  correlationId: string;
  reason?: string;
  risk?: RiskRecord;
  review?: ReviewRecord;
  // --- payment lifecycle (issue #13) ---
  /** Absent means AUTOMATIC. */
  captureMethod?: CaptureMethod;
  /** The processor that won the payment (issue #14): capture, void and refunds go to it. */
  processor?: string;
  /** The rail's reference of the charge or hold, which capture, void and refunds name. */
  railReference?: string;
  authorizationExpiresAt?: string;
  /** What the rail charged (minor units): set on EXECUTED (the amount) or PaymentCaptured (the part). */
  capturedMinor?: string;
  /** Minor units still refundable, a number so that a refund is reserved by a conditional decrement. */
  refundableMinor?: number;
  /** The highest sequence handed out by the API for refund events (two per refund). */
  allocatedSequence?: number;
  refunds?: Record<string, RefundRecord>;
  /** How many of `refunds` wait for the sweeper, unanswered (what its query filters on). */
  refundsWaiting?: number;
  capture?: ActionRecord;
  cancellation?: ActionRecord;
  sequence: number;
  createdAt: string;
  updatedAt: string;
};

export type PaymentFilter = {
  status?: PaymentStatus;
  paymentType?: PaymentType;
  createdAfter?: string;
  createdBefore?: string;
  /** Only rows with a refund waiting for the sweeper (a filter: every row of the index is read). */
  refundsWaiting?: boolean;
};

/** A page of payments; `cursor` (opaque) asks for the next one, absent on the last page. */
export type PaymentPage = { items: PaymentRecord[]; cursor?: string };

export type PaymentChange<E extends OutboxEvent> = {
  /** The write happens only while the row still has this sequence (and status, if given). */
  expect: {
    sequence: number;
    status?: PaymentStatus;
    notReviewed?: boolean;
    /** Actions that must not be recorded yet (a capture and a cancel exclude each other). */
    absent?: readonly ("capture" | "cancellation" | "review")[];
  };
  set: Partial<Omit<PaymentRecord, "paymentId" | "tenantId" | "createdAt">>;
  /** Events that leave with this change, through the outbox. */
  emit?: E[];
  /**
   * Drops the outbox if it is still at this version (or already empty): for a writer that
   * knows those events are in Kafka (it consumed an event caused by them). Not with `emit`.
   */
  clearOutbox?: { version: number };
};

export interface PaymentRepository<E extends OutboxEvent = OutboxEvent> extends Outbox<E> {
  /** Writes the payment with its events unless the id exists; false if it did. */
  create(payment: PaymentRecord, emit: E[]): Promise<boolean>;
  /** `create` as a write of a transaction. */
  createWrite(payment: PaymentRecord, emit: E[]): TransactionWrite;
  /** The row and its unpublished events (`outboxVersion` identifies that outbox state). */
  get(
    paymentId: string,
  ): Promise<{ payment: PaymentRecord; pendingEvents: E[]; outboxVersion: number } | undefined>;
  /**
   * Several rows at once, read consistently (BatchGetItem, 100 keys a call): the found
   * ones by id, each as `get` returns it; an unknown id is absent from the map.
   */
  getMany(
    paymentIds: readonly string[],
  ): Promise<Map<string, { payment: PaymentRecord; pendingEvents: E[]; outboxVersion: number }>>;
  /** Applies `change` if the row matches `change.expect`; false if it did not. */
  update(paymentId: string, change: PaymentChange<E>): Promise<boolean>;
  /** `update` as a write of a transaction. */
  updateWrite(paymentId: string, change: PaymentChange<E>): TransactionWrite;
  /** Newest first; `cursor` is a previous page's. */
  list(filter: PaymentFilter, limit: number, cursor?: string): Promise<PaymentPage>;
}

/** Index attributes every row carries besides the record itself. */
const LIST_KEY = "all";
/** `outboxVersion` of a row created with events. */
export const CREATED_OUTBOX_VERSION = 1;
const OUTBOX_SHARD = "pending";
/** BatchGetItem takes at most 100 keys. */
const READ_BATCH = 100;
/** Rounds of asking for UnprocessedKeys (throttling, size limit) before giving up. */
const UNPROCESSED_RETRY = { maxAttempts: 8, baseMs: 10, capMs: 200 };
const INTERNAL = ["listKey", "createdKey", "outbox", "outboxShard", "outboxSince", "outboxVersion"] as const;
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
  const filters = [
    ...(typeAlsoFiltered ? ["paymentType = :type"] : []),
    ...(filter.refundsWaiting ? ["refundsWaiting > :noneWaiting"] : []),
  ];
  return {
    TableName: tableName,
    IndexName: index,
    KeyConditionExpression: `#partition = :partition${range.condition ? ` AND ${range.condition}` : ""}`,
    ...(filters.length > 0 ? { FilterExpression: filters.join(" AND ") } : {}),
    ExpressionAttributeNames: { "#partition": attribute },
    ExpressionAttributeValues: {
      ":partition": value,
      ...range.values,
      ...(typeAlsoFiltered ? { ":type": filter.paymentType } : {}),
      ...(filter.refundsWaiting ? { ":noneWaiting": 0 } : {}),
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

  const found = (item: Record<string, unknown>) => ({
    payment: toRecord(item),
    pendingEvents: (item.outbox as E[] | undefined) ?? [],
    outboxVersion: Number(item.outboxVersion ?? 0),
  });

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

    createWrite: (payment, emit) => ({ Put: createPut(payment, emit) }),

    async get(paymentId) {
      const item = await getItem(paymentId);
      return item ? found(item) : undefined;
    },

    async getMany(paymentIds) {
      const ids = [...new Set(paymentIds)];
      const rows = new Map<string, ReturnType<typeof found>>();
      const chunks: string[][] = [];
      for (let at = 0; at < ids.length; at += READ_BATCH) chunks.push(ids.slice(at, at + READ_BATCH));
      await Promise.all(
        chunks.map(async (chunk) => {
          let keys: Record<string, unknown>[] = chunk.map((paymentId) => ({ paymentId }));
          // Each round asks again only for the keys DynamoDB left unprocessed.
          await retrying(async () => {
            const result = await client.send(
              new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
            );
            for (const item of result.Responses?.[tableName] ?? [])
              rows.set(String(item.paymentId), found(item));
            keys = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
            if (keys.length > 0)
              throw new Error(`payments: ${keys.length} rows left unprocessed by ${tableName}`);
          }, UNPROCESSED_RETRY);
        }),
      );
      return rows;
    },

    update(paymentId, change) {
      return conditionally(() => client.send(new UpdateCommand(updateOf(paymentId, change))));
    },

    updateWrite: (paymentId, change) => ({ Update: updateOf(paymentId, change) }),

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
