import { createRequire } from "node:module";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadPipeline, type PipelineConfig } from "../../../core/config";
import {
  isPartitionKeyOf,
  murmur2,
  partitionFor,
  partitionKey,
  toPositive,
  topicPartitionCount,
} from "../../../core/partitioning";

const require = createRequire(import.meta.url);
const kafkajsMurmur2: (
  key: string | Buffer,
) => number = require("kafkajs/src/producer/partitioners/default/murmur2.js");

describe("murmur2", () => {
  it("matches Kafka's Java test vectors", () => {
    // From Kafka's UtilsTest.testMurmur2.
    const cases: [string, number][] = [
      ["21", -973932308],
      ["foobar", -790332482],
      ["a-little-bit-long-string", -985981536],
      ["a-little-bit-longer-string", -1486304829],
      ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971],
    ];
    for (const [key, hash] of cases) expect(murmur2(key)).toBe(hash);
    expect(murmur2(new Uint8Array([97, 98, 99]))).toBe(murmur2("abc"));
  });

  it("is bit-exact with kafkajs's murmur2 for any key, including multi-byte UTF-8", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 64 }), (key) => {
        expect(murmur2(key)).toBe(kafkajsMurmur2(Buffer.from(key, "utf8")));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(murmur2(bytes)).toBe(kafkajsMurmur2(Buffer.from(bytes)));
      }),
      { numRuns: 500 },
    );
  });

  it("clears only the sign bit for toPositive", () => {
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(5)).toBe(5);
  });
});

describe("partitionFor", () => {
  let pipeline: PipelineConfig;
  beforeAll(async () => {
    pipeline = await loadPipeline("config");
  });

  it("counts the partitions of a topic", () => {
    expect(topicPartitionCount(pipeline)).toBe(12);
  });

  it("keeps each payment type inside its own range and hashes the tenant like Kafka", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{1,31}$/), (tenant) => {
        for (const range of pipeline.partitions) {
          const partition = partitionFor(range.paymentType, tenant, pipeline);
          expect(partition).toBeGreaterThanOrEqual(range.first);
          expect(partition).toBeLessThan(range.first + range.count);
          expect(partition).toBe(range.first + (toPositive(kafkajsMurmur2(tenant)) % range.count));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("is stable for the demo tenants", () => {
    expect(partitionFor("PIX", "acme", pipeline)).toBe(8);
    expect(partitionFor("CARD", "acme", pipeline)).toBe(toPositive(murmur2("acme")) % 4);
    expect(partitionFor("FASTER_PAYMENTS", "globex", pipeline)).toBe(
      10 + (toPositive(murmur2("globex")) % 2),
    );
  });
});

describe("partitionKey", () => {
  const pipeline: PipelineConfig = {
    partitions: [
      { paymentType: "CARD", first: 0, count: 4 },
      { paymentType: "SEPA_CREDIT", first: 4, count: 8 },
    ],
  } as PipelineConfig;

  it("tenant mode keys by the tenant alone, as before", () => {
    expect(partitionKey("tenant", "acme", "p-1")).toBe("acme");
    const partitions = new Set(
      Array.from({ length: 200 }, (_, i) =>
        partitionFor("SEPA_CREDIT", partitionKey("tenant", "acme", `p-${i}`), pipeline),
      ),
    );
    expect(partitions).toEqual(new Set([partitionFor("SEPA_CREDIT", "acme", pipeline)]));
  });

  it("payment mode spreads one tenant over every partition of its type's range and stays inside it", () => {
    const partitions = new Set(
      Array.from({ length: 200 }, (_, i) =>
        partitionFor("SEPA_CREDIT", partitionKey("payment", "acme", `p-${i}`), pipeline),
      ),
    );
    expect(partitions).toEqual(new Set([4, 5, 6, 7, 8, 9, 10, 11]));
  });
});

describe("isPartitionKeyOf", () => {
  it("accepts the payment's key under either setting and nothing else", () => {
    expect(isPartitionKeyOf("acme", "acme", "p-1")).toBe(true);
    expect(isPartitionKeyOf("acme/p-1", "acme", "p-1")).toBe(true);
    expect(isPartitionKeyOf("acme/p-2", "acme", "p-1")).toBe(false);
    expect(isPartitionKeyOf("globex", "acme", "p-1")).toBe(false);
    expect(isPartitionKeyOf("globex/p-1", "acme", "p-1")).toBe(false);
  });
});
