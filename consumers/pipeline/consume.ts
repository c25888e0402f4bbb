// Turns the records of an MSKEvent into validated event envelopes. A record whose schema
// version id is unknown, whose headers disagree with its value, or that fails its schema
// is rejected: the handler throws, and the event source mapping bisects the batch down to
// that record and dead-letters it with this error.
import { type EventEnvelope, validateEvent } from "../../core/events";
import { isPartitionKeyOf } from "../../core/partitioning";
import {
  type MSKEvent,
  type MSKRecord,
  mskHeader,
  mskKey,
  mskRecords,
  mskValue,
} from "../platform/msk-event";
import { HEADER } from "./headers";
import type { SchemaLookup } from "./schema-ids";

export class RejectedRecordError extends Error {
  override name = "RejectedRecordError";
}

export type ConsumedEvent = { event: EventEnvelope; record: MSKRecord };

export function decodeRecord(record: MSKRecord, schemas: SchemaLookup): EventEnvelope {
  const where = `${record.topic}-${record.partition}@${record.offset}`;
  const schemaId = mskHeader(record, HEADER.schemaVersionId);
  const schema = schemaId ? schemas.byId(schemaId) : undefined;
  if (!schema) throw new RejectedRecordError(`${where}: unknown schema version id ${schemaId ?? "(none)"}`);
  let value: unknown;
  try {
    value = JSON.parse(mskValue(record).toString("utf8"));
  } catch {
    throw new RejectedRecordError(`${where}: value is not JSON`);
  }
  const result = validateEvent(value);
  if (!result.ok) throw new RejectedRecordError(`${where}: ${result.errors.join("; ")}`);
  const event = result.event;
  if (event.type !== schema.type || event.schemaVersion !== schema.version) {
    throw new RejectedRecordError(
      `${where}: value is ${event.type} v${event.schemaVersion}, header says ${schema.type} v${schema.version}`,
    );
  }
  if (
    !isPartitionKeyOf(mskKey(record), event.tenantId, event.paymentId) ||
    mskHeader(record, HEADER.tenantId) !== event.tenantId
  ) {
    throw new RejectedRecordError(
      `${where}: key/tenant-id header do not match the event's tenant and payment`,
    );
  }
  return event;
}

/** Every record's event, in delivery order; throws on the first rejected record. */
export function decodeEvents(event: MSKEvent, schemas: SchemaLookup): ConsumedEvent[] {
  return mskRecords(event).map((record) => ({ event: decodeRecord(record, schemas), record }));
}

/**
 * Runs `work` for each event: sequentially within one payment (order matters there),
 * payments side by side up to `concurrency`.
 */
export async function forEachPayment<T extends { event: { paymentId: string } }>(
  items: readonly T[],
  work: (item: T) => Promise<void>,
  concurrency = 16,
): Promise<void> {
  const byPayment = new Map<string, T[]>();
  for (const item of items) {
    const list = byPayment.get(item.event.paymentId) ?? [];
    list.push(item);
    byPayment.set(item.event.paymentId, list);
  }
  const queues = [...byPayment.values()];
  const lane = async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const item of queue) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queues.length) }, lane));
}
