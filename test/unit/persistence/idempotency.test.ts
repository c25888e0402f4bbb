import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  decide,
  type IdempotencyRecord,
  payloadHash,
} from "../../../consumers/persistence/idempotency";

const record = (over: Partial<IdempotencyRecord>): IdempotencyRecord => ({
  key: "k",
  status: "IN_PROGRESS",
  payloadHash: "h",
  resourceId: "pay_1",
  expiresAt: 2_000_000_000,
  inProgressUntil: 10_000,
  ...over,
});

describe("idempotency decision", () => {
  it("conflicts on a different payload, whatever the status", () => {
    expect(decide(record({ payloadHash: "other" }), "h", 0)).toEqual({ kind: "conflict" });
    expect(decide(record({ status: "COMPLETED", payloadHash: "x", response: { data: 1 } }), "h", 0)).toEqual({
      kind: "conflict",
    });
  });

  it("replays a completed response, errors included", () => {
    const response = { error: { errorType: "ValidationError", message: "input.amount: bad" } };
    expect(decide(record({ status: "COMPLETED", response }), "h", 99_999)).toEqual({
      kind: "replay",
      response,
    });
  });

  it("is in progress while the first attempt holds the key, then may be taken over", () => {
    expect(decide(record({}), "h", 9_999)).toEqual({ kind: "in-progress" });
    expect(decide(record({}), "h", 10_001)).toEqual({
      kind: "take-over",
      resourceId: "pay_1",
      previousInProgressUntil: 10_000,
    });
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
