// Idempotency on one transaction: the record of a key (payload hash, the payment id it
// made, the stored response) is written in the same TransactWriteItems as what the request
// makes (vault entry, payment row with its outbox, first history entry), so there is never
// a record without its payment nor a payment (or vault entry) without its record. The
// decision over an existing record is a pure function so it is tested without I/O; the
// store is a port (consumers/persistence/idempotency) with a DynamoDB adapter.
import { createHmac } from "node:crypto";
import {
  type IdempotencyStore,
  MIN_TTL_SECONDS,
  type IdempotencyRecord as StoredRecord,
} from "../persistence/ports/idempotency";
import { lostAt, type TransactionWrite, type WriteTogether } from "../persistence/ports/transaction";
import type { ApiResponse } from "./contract";

export type IdempotencyRecord = StoredRecord<ApiResponse>;

export type Decision = { kind: "conflict" } | { kind: "replay"; record: IdempotencyRecord };

/**
 * What to do when a live record already holds the key. The store keeps the response as
 * it was given; every record is written by `idempotent` below, so it is an ApiResponse.
 */
export function decide(existing: StoredRecord, payloadHash: string): Decision {
  return existing.payloadHash === payloadHash
    ? { kind: "replay", record: existing as IdempotencyRecord }
    : { kind: "conflict" };
}

/** Canonical JSON: object keys sorted, so equal payloads hash equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Keyed hash of the payload: the payload may hold a card number, and a plain SHA-256 of
 * a PAN could be brute-forced from the stored hash, so the hash is an HMAC.
 */
export function payloadHash(payload: unknown, secret: string): string {
  return createHmac("sha256", secret).update(canonicalJson(payload)).digest("base64url");
}

export type IdempotencyOptions = {
  key: string;
  payloadHash: string;
  ttlSeconds: number;
  /** How long the request may take to publish what it made (≥ the handler timeout). */
  publishingMs: number;
  now?: () => number;
};

/** What one request makes: its answer, the writes that go with the record, then what to publish. */
export type Made = {
  response: ApiResponse;
  resourceId?: string;
  writes: TransactionWrite[];
  publish?: () => Promise<void>;
};

/** The answer to a key used before with another payload. */
export const IDEMPOTENCY_CONFLICT: ApiResponse = {
  error: {
    errorType: "IdempotencyConflict",
    message: "the idempotency key was already used with a different payload",
  },
};
const inProgress: ApiResponse = {
  error: {
    errorType: "IdempotencyInProgress",
    message: "a request with the same idempotency key is still being processed; retry with backoff",
  },
};

/**
 * Makes at most one resource per key and payload: `make()` builds the response and the
 * writes (nothing is written yet), and the record with the response is committed with
 * them in one transaction; then `publish` runs. A key already used answers through
 * `replay(record)` (same payload) or IdempotencyConflict. A failed publish ends the
 * publishing window, so that the retry's replay publishes what is pending.
 */
export async function idempotent(
  store: IdempotencyStore,
  commit: WriteTogether,
  options: IdempotencyOptions,
  make: () => Promise<Made>,
  replay: (record: IdempotencyRecord) => Promise<ApiResponse>,
): Promise<ApiResponse> {
  const now = options.now ?? Date.now;
  const started = now();
  const nowSeconds = Math.floor(started / 1000);
  const made = await make();
  const record: IdempotencyRecord = {
    key: options.key,
    payloadHash: options.payloadHash,
    ...(made.resourceId ? { resourceId: made.resourceId } : {}),
    expiresAt: nowSeconds + Math.max(options.ttlSeconds, MIN_TTL_SECONDS),
    publishingUntil: started + options.publishingMs,
    response: made.response,
  };
  const outcome = await commit([store.recordWrite(record, nowSeconds), ...made.writes]);
  if (outcome.committed) {
    try {
      await made.publish?.();
    } catch (error) {
      // Best effort: if even this fails, the window simply lapses after `publishingMs`.
      await store.endPublishing(options.key).catch(() => undefined);
      throw error;
    }
    return made.response;
  }
  if (!lostAt(outcome, 0))
    throw new Error(`idempotency: a write of ${options.key}'s transaction was refused`);
  const existing = await store.get(options.key, nowSeconds);
  // A transaction holding the key is not visible yet (AWS reports TransactionConflict).
  if (!existing) return inProgress;
  const decision = decide(existing, options.payloadHash);
  return decision.kind === "conflict" ? IDEMPOTENCY_CONFLICT : replay(decision.record);
}
