// The event Lambda's MSK trigger hands to a function, built and read here so that the
// local event-source-mapping runner and the handlers agree on the real AWS shape:
// records grouped by "<topic>-<partition>", key and value base64, each header a
// one-entry object whose value is the header's bytes as a number array.
import type { MSKEvent, MSKRecord } from "aws-lambda";

export type { MSKEvent, MSKRecord };

/** A record as a Kafka client delivers it (kafkajs field names and types). */
export type KafkaRecord = {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
};

export type EventSource = { eventSourceArn: string; bootstrapServers: string };

export function toMskRecord(record: KafkaRecord): MSKRecord {
  const headers: MSKRecord["headers"] = [];
  for (const [name, raw] of Object.entries(record.headers ?? {})) {
    for (const value of Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) {
      headers.push({ [name]: [...Buffer.from(value)] });
    }
  }
  return {
    topic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    timestampType: "CREATE_TIME",
    key: (record.key ?? Buffer.alloc(0)).toString("base64"),
    value: (record.value ?? Buffer.alloc(0)).toString("base64"),
    headers,
  };
}

export function toMskEvent(records: KafkaRecord[], source: EventSource): MSKEvent {
  const grouped: MSKEvent["records"] = {};
  for (const record of records) {
    const group = `${record.topic}-${record.partition}`;
    grouped[group] ??= [];
    grouped[group].push(toMskRecord(record));
  }
  return { eventSource: "aws:kafka", ...source, records: grouped };
}

/** Every record of the event, in the order Lambda lists them (per partition, by offset). */
export function mskRecords(event: MSKEvent): MSKRecord[] {
  return Object.values(event.records).flat();
}

/** First value of header `name` as UTF-8, or undefined when absent. */
export function mskHeader(record: MSKRecord, name: string): string | undefined {
  for (const header of record.headers) {
    const bytes = header[name];
    if (bytes) return Buffer.from(bytes).toString("utf8");
  }
  return undefined;
}

export function mskHeaders(record: MSKRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const header of record.headers) {
    for (const [name, bytes] of Object.entries(header)) out[name] ??= Buffer.from(bytes).toString("utf8");
  }
  return out;
}

export function mskKey(record: MSKRecord): string {
  return Buffer.from(record.key, "base64").toString("utf8");
}

export function mskValue(record: MSKRecord): Buffer {
  return Buffer.from(record.value, "base64");
}
