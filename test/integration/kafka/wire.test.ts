import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Broker } from "../../../local/kafka/broker";
import { ApiKey } from "../../../local/kafka/protocol/api-keys";
import { ErrorCode } from "../../../local/kafka/protocol/errors";
import { Reader } from "../../../local/kafka/protocol/reader";
import { Writer } from "../../../local/kafka/protocol/writer";
import { kafkaFor, testBroker } from "./helpers";
import { exchange, requestFrame } from "./raw-client";

/** A tiny deterministic PRNG so a failing fuzz case can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

const apiVersionsV0 = (correlationId: number) =>
  requestFrame(ApiKey.ApiVersions, 0, correlationId, Buffer.alloc(0));

describe("the broker on the wire", () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await testBroker();
    await broker.store.createTopic("fuzzed", 2);
  });
  afterAll(() => broker.stop());

  it("answers a too-new ApiVersions with a v0 UNSUPPORTED_VERSION body listing its ranges", async () => {
    const body = new Writer().compactString("librdkafka").compactString("9.9").taggedFields().toBuffer();
    const { responses } = await exchange(broker.port, requestFrame(ApiKey.ApiVersions, 9, 77, body, true));
    const r = new Reader(responses[0]);
    expect(r.int32()).toBe(77);
    expect(r.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const ranges = r.array((r) => [r.int16(), r.int16(), r.int16()]);
    expect(ranges).toContainEqual([ApiKey.ApiVersions, 0, 3]);
    expect(ranges).toContainEqual([ApiKey.Produce, 3, 7]);
    expect(r.remaining).toBe(0);
  });

  it("answers ApiVersions v3 (flexible request header) with a compact body and header v0", async () => {
    const body = new Writer().compactString("kcat").compactString("1.7.1").taggedFields().toBuffer();
    const { responses } = await exchange(broker.port, requestFrame(ApiKey.ApiVersions, 3, 5, body, true));
    const r = new Reader(responses[0]);
    expect(r.int32()).toBe(5);
    expect(r.int16()).toBe(0);
    const ranges = r.compactArray((r) => {
      const range = [r.int16(), r.int16(), r.int16()];
      r.taggedFields();
      return range;
    });
    expect(ranges).toContainEqual([ApiKey.Fetch, 4, 11]);
    expect(r.int32()).toBe(0);
    r.taggedFields();
    expect(r.remaining).toBe(0);
  });

  it("closes only the offending connection for oversized, undersized and unknown-API frames", async () => {
    const oversized = Buffer.alloc(8);
    oversized.writeInt32BE(0x7fffffff, 0);
    const undersized = Buffer.from([0, 0, 0, 2, 0, 0]);
    const unknownApi = requestFrame(999, 0, 1, Buffer.alloc(0));
    const tooNewMetadata = requestFrame(ApiKey.Metadata, 99, 1, Buffer.alloc(0));
    for (const bytes of [oversized, undersized, unknownApi, tooNewMetadata]) {
      expect((await exchange(broker.port, bytes)).closedByBroker).toBe(true);
    }
    expect((await exchange(broker.port, apiVersionsV0(1))).responses).toHaveLength(1);
  });

  it("long-polls Fetch until a record arrives, and sends empty (not null) records on timeout", async () => {
    await broker.store.createTopic("longpoll", 1);
    const fetchV11 = (offset: bigint, maxWaitMs: number, correlationId: number) => {
      const body = new Writer()
        .int32(-1)
        .int32(maxWaitMs)
        .int32(1)
        .int32(1 << 20)
        .int8(1)
        .int32(0)
        .int32(-1);
      body.array(["longpoll"], (w, t) =>
        w.string(t).array([0], (w, p) =>
          w
            .int32(p)
            .int32(-1)
            .int64(offset)
            .int64(-1n)
            .int32(1 << 20),
        ),
      );
      body.array([], () => undefined).string("");
      return requestFrame(ApiKey.Fetch, 11, correlationId, body.toBuffer());
    };
    const partitionOf = (frame: Buffer) => {
      const r = new Reader(frame);
      r.int32(); // correlation id
      r.int32();
      r.int16();
      r.int32();
      const [partition] = r.array((r) => {
        r.string();
        return r.array((r) => {
          const p = { index: r.int32(), errorCode: r.int16(), highWatermark: r.int64() };
          r.int64();
          r.int64();
          r.array((r) => [r.int64(), r.int64()]);
          r.int32();
          return { ...p, recordsLength: r.int32() };
        })[0];
      });
      return partition;
    };
    const waiting = exchange(broker.port, fetchV11(0n, 10_000, 70), 1, 15_000);
    const producer = kafkaFor(broker.port).producer();
    await producer.connect();
    await producer.send({ topic: "longpoll", messages: [{ value: "wake up" }] });
    await producer.disconnect();
    const woken = partitionOf((await waiting).responses[0]);
    expect(woken).toMatchObject({ errorCode: 0, highWatermark: 1n });
    expect(woken.recordsLength).toBeGreaterThan(0);

    const idle = partitionOf((await exchange(broker.port, fetchV11(1n, 50, 71))).responses[0]);
    expect(idle).toMatchObject({ errorCode: 0, highWatermark: 1n, recordsLength: 0 });
    const beyond = partitionOf((await exchange(broker.port, fetchV11(5n, 50, 72))).responses[0]);
    expect(beyond.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  it("survives random and truncated frames", async () => {
    const random = prng(20261127);
    const metadataBody = new Writer()
      .array(["fuzzed"], (w, t) => w.string(t))
      .boolean(false)
      .toBuffer();
    const produceBody = new Writer().nullableString(null).int16(-1).int32(1000).toBuffer();
    const valid = [
      requestFrame(ApiKey.Metadata, 4, 1, metadataBody),
      requestFrame(ApiKey.Produce, 7, 2, produceBody),
      apiVersionsV0(3),
    ];
    const cases: Buffer[] = [];
    for (const frame of valid) {
      // Every truncation point of the body, with a size prefix that matches the short frame.
      for (let cut = 14; cut < frame.length; cut++) {
        const short = Buffer.from(frame.subarray(0, cut));
        short.writeInt32BE(cut - 4, 0);
        cases.push(short);
      }
    }
    for (let i = 0; i < 150; i++) {
      const body = Buffer.from(
        Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)),
      );
      const apiKey = [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 22, 32][
        Math.floor(random() * 18)
      ];
      cases.push(requestFrame(apiKey, Math.floor(random() * 12), i, body));
      cases.push(
        Buffer.from(Array.from({ length: 4 + Math.floor(random() * 40) }, () => Math.floor(random() * 256))),
      );
    }
    for (let i = 0; i < cases.length; i += 20) {
      await Promise.all(cases.slice(i, i + 20).map((bytes) => exchange(broker.port, bytes, 1, 300)));
    }
    // Still serving, still consistent.
    const { responses } = await exchange(broker.port, apiVersionsV0(42));
    expect(new Reader(responses[0]).int32()).toBe(42);
    expect(broker.store.partition("fuzzed", 0)?.highWatermark).toBe(0n);
  });
});
