// The local stack's sandbox ledgers: what a processor received survives the process (a new
// ledger on the same file knows it), every request is a line, a torn last line is skipped.
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fileLedger, fileLedgers, ledgerFile, readLedgerLines } from "../../../local/sandbox-ledger";

const approved = { class: "APPROVED" as const, processorReference: "stripe_sandbox_1", latencyMs: 5 };
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("file ledger", () => {
  it("keeps what was received across a restart and logs every request", () => {
    dir = mkdtempSync(join(tmpdir(), "payrail-ledger-"));
    const first = fileLedgers(dir)("stripe_sandbox");
    first.record({ operation: "pay", idempotencyKey: "pay_1#1", paymentId: "pay_1", kept: approved });
    first.record({ operation: "pay", idempotencyKey: "pay_2#1", paymentId: "pay_2" });
    // The process dies here; the next one reads the file.
    const file = ledgerFile(dir, "stripe_sandbox");
    const second = fileLedger(file);
    expect(second.kept("pay_1#1")).toEqual(approved);
    expect(second.kept("pay_2#1")).toBeUndefined();
    second.record({ operation: "status", idempotencyKey: "pay_1#1" });
    appendFileSync(file, '{"operation":"pay","idempot');
    // Opened after the torn write: its lines start on lines of their own.
    fileLedger(file).record({ operation: "status", idempotencyKey: "pay_2#1" });
    expect(readLedgerLines(file).map(({ operation, idempotencyKey }) => [operation, idempotencyKey])).toEqual(
      [
        ["pay", "pay_1#1"],
        ["pay", "pay_2#1"],
        ["status", "pay_1#1"],
        ["status", "pay_2#1"],
      ],
    );
    expect(readLedgerLines(join(dir, "none.jsonl"))).toEqual([]);
  });
});
