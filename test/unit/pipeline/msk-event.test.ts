import { describe, expect, it } from "vitest";
import {
  mskHeader,
  mskHeaders,
  mskKey,
  mskRecords,
  mskValue,
  toMskEvent,
} from "../../../consumers/platform/msk-event";

const source = {
  eventSourceArn: "arn:aws:kafka:local:000000000000:cluster/payrail/local",
  bootstrapServers: "127.0.0.1:9092",
};

describe("MSK event shape", () => {
  const event = toMskEvent(
    [
      {
        topic: "payments.initiated",
        partition: 2,
        offset: "7",
        timestamp: "1700000000000",
        key: Buffer.from("acme"),
        value: Buffer.from('{"a":1}'),
        headers: { "event-type": Buffer.from("PaymentInitiated") },
      },
      {
        topic: "payments.initiated",
        partition: 0,
        offset: "3",
        timestamp: "1700000000001",
        key: Buffer.from("globex"),
        value: Buffer.from("{}"),
        headers: {},
      },
      {
        topic: "payments.initiated",
        partition: 2,
        offset: "8",
        timestamp: "1700000000002",
        key: null,
        value: null,
      },
    ],
    source,
  );

  it("groups records by topic-partition with base64 key/value and byte-array headers, as Lambda does", () => {
    expect(event.eventSource).toBe("aws:kafka");
    expect(event.bootstrapServers).toBe("127.0.0.1:9092");
    expect(Object.keys(event.records)).toEqual(["payments.initiated-2", "payments.initiated-0"]);
    const first = event.records["payments.initiated-2"]?.[0];
    expect(first).toEqual({
      topic: "payments.initiated",
      partition: 2,
      offset: 7,
      timestamp: 1700000000000,
      timestampType: "CREATE_TIME",
      key: Buffer.from("acme").toString("base64"),
      value: Buffer.from('{"a":1}').toString("base64"),
      headers: [{ "event-type": [...Buffer.from("PaymentInitiated")] }],
    });
  });

  it("reads keys, values and headers back", () => {
    const records = mskRecords(event);
    expect(records.map((r) => r.offset)).toEqual([7, 8, 3]);
    const [first, second] = records;
    if (!first || !second) throw new Error("records missing");
    expect(mskKey(first)).toBe("acme");
    expect(JSON.parse(mskValue(first).toString())).toEqual({ a: 1 });
    expect(mskHeader(first, "event-type")).toBe("PaymentInitiated");
    expect(mskHeader(second, "event-type")).toBeUndefined();
    expect(mskHeaders(first)).toEqual({ "event-type": "PaymentInitiated" });
  });
});
