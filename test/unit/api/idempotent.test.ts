import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  decide,
  type IdempotencyRecord,
  payloadHash,
} from "../../../consumers/api/idempotent";

const record = (over: Partial<IdempotencyRecord>): IdempotencyRecord => ({
  key: "k",
  payloadHash: "h",
  resourceId: "pay_1",
  expiresAt: 2_000_000_000,
  publishingUntil: 10_000,
  response: { data: 1 },
  ...over,
});

describe("idempotency decision", () => {
  it("conflicts on a different payload", () => {
    expect(decide(record({ payloadHash: "other" }), "h")).toEqual({ kind: "conflict" });
  });

  it("replays the stored record for the same payload, errors included", () => {
    const errored = record({
      response: { error: { errorType: "ValidationError", message: "input.amount: bad" } },
    });
    expect(decide(errored, "h")).toEqual({ kind: "replay", record: errored });
    expect(decide(record({}), "h")).toEqual({ kind: "replay", record: record({}) });
  });
});

describe("payload hash", () => {
  it("ignores key order but not values, and is keyed", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: null } })).toBe('{"a":{"c":null,"d":[1,2]},"b":1}');
    expect(payloadHash({ a: 1, b: 2 }, "s")).toBe(payloadHash({ b: 2, a: 1 }, "s"));
    expect(payloadHash({ a: 1 }, "s")).not.toBe(payloadHash({ a: 2 }, "s"));
    expect(payloadHash({ a: 1 }, "s")).not.toBe(payloadHash({ a: 1 }, "t"));
  });
});
