// The sandbox processors' ledgers on the local stack: one JSON-lines file per processor in
// `<data>/sandbox/`, every request appended as it arrives (a processed call with the answer
// it keeps), read back at start. So, like a real processor, a sandbox remembers what it
// received across a crash of the stack: after a kill -9 its status() still knows a call
// that was in flight. A line is one write() before the call answers; a kill cannot tear it
// (the page cache keeps it), a machine crash could lose the tail, which is skipped.
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LedgerEntry, ProcessorOutcome, SandboxLedger } from "../core/processors";

/** A ledger line: the entry and when it arrived. */
export type LedgerLine = LedgerEntry & { at: string };

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}

export function readLedgerLines(file: string): LedgerLine[] {
  return parseLines(readText(file));
}

function parseLines(text: string): LedgerLine[] {
  const lines: LedgerLine[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      lines.push(JSON.parse(line) as LedgerLine);
    } catch {
      // a torn last line (machine crash mid-write): that request was never answered
    }
  }
  return lines;
}

export function fileLedger(file: string): SandboxLedger {
  const kept = new Map<string, ProcessorOutcome>();
  const text = readText(file);
  for (const line of parseLines(text)) if (line.kept) kept.set(line.idempotencyKey, line.kept);
  // After a torn tail, the next line starts on a line of its own.
  if (text && !text.endsWith("\n")) appendFileSync(file, "\n");
  return {
    kept: (key) => kept.get(key),
    record(entry) {
      appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`);
      if (entry.kept) kept.set(entry.idempotencyKey, entry.kept);
    },
  };
}

export const ledgerFile = (dir: string, processor: string) => join(dir, `${processor}.jsonl`);

/** Each processor's file ledger in `dir` (created if missing). */
export function fileLedgers(dir: string): (processor: string) => SandboxLedger {
  mkdirSync(dir, { recursive: true });
  return (processor) => fileLedger(ledgerFile(dir, processor));
}
