import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, requestLogger } from "../../../consumers/platform/observability";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Collects what the logger writes: info to stdout, errors to stderr. */
function captureOutput(): string[] {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture);
  vi.spyOn(process.stderr, "write").mockImplementation(capture);
  return lines;
}

describe("request logger", () => {
  it("puts tenantId, correlationId and paymentId on every line and strips card numbers", () => {
    const lines = captureOutput();
    const log = requestLogger(createLogger("test"), {
      tenantId: "acme",
      correlationId: "c-1",
      paymentId: "pay_1",
    });
    log.info("declined 4242 4242 4242 4242", { card: { number: "5555555555554444" }, amount: 1250n });
    log.error("failed", { error: new Error("pan 4000056655665556 rejected") });
    const entries = lines
      .join("")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        tenantId: "acme",
        correlationId: "c-1",
        paymentId: "pay_1",
        service: "test",
      });
    }
    const text = lines.join("");
    for (const pan of ["4242 4242 4242 4242", "5555555555554444", "4000056655665556"])
      expect(text).not.toContain(pan);
    expect(entries[0]).toMatchObject({
      message: "declined [REDACTED]",
      card: { number: "[REDACTED]" },
      amount: "1250",
    });
  });

  it("keeps concurrent requests' keys apart", () => {
    const lines = captureOutput();
    const base = createLogger("test");
    const a = requestLogger(base, { tenantId: "acme", correlationId: "a" });
    const b = requestLogger(base, { tenantId: "globex", correlationId: "b" });
    a.info("one");
    b.info("two");
    base.info("three");
    const entries = lines
      .join("")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(entries.map((e) => [e.tenantId, e.correlationId])).toEqual([
      ["acme", "a"],
      ["globex", "b"],
      [undefined, undefined],
    ]);
  });
});
