import { describe, expect, it } from "vitest";
import { DEFAULT_FLUSH_INTERVAL_MS } from "../../../local/kafka/broker";
import { flushPolicy } from "../../../local/kafka/cli";

describe("payrail-kafka --flush", () => {
  it("leaves the broker's default when neither flag is given", () => {
    expect(flushPolicy(undefined, undefined)).toBeUndefined();
  });

  it("maps the flags to a flush policy", () => {
    expect(flushPolicy("always", undefined)).toEqual({ mode: "always" });
    expect(flushPolicy("interval", undefined)).toEqual({
      mode: "interval",
      intervalMs: DEFAULT_FLUSH_INTERVAL_MS,
    });
    expect(flushPolicy("interval", "200")).toEqual({ mode: "interval", intervalMs: 200 });
    expect(flushPolicy(undefined, "50")).toEqual({ mode: "interval", intervalMs: 50 });
  });

  it("refuses an unknown mode and an interval with always", () => {
    expect(() => flushPolicy("never", "50")).toThrow(/always" or "interval/);
    expect(() => flushPolicy("always", "50")).toThrow(/needs --flush interval/);
  });
});
