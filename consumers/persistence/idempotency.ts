// Idempotency in the style of Powertools' idempotency utility: a record per key, first
// written IN_PROGRESS (with an in-flight expiry and the payload hash), then COMPLETED
// with the stored response. The decision over an existing record is a pure function so
// it is tested without I/O; the store is a small port with a DynamoDB implementation.
import { createHmac } from "node:crypto";

export type ApiErrorBody = { errorType: string; message: string; errorInfo?: Record<string, unknown> };
export type ApiResponse = { data: unknown } | { error: ApiErrorBody };

export type IdempotencyRecord = {
  key: string;
  status: "IN_PROGRESS" | "COMPLETED";
  payloadHash: string;
  /** The id the first attempt chose; a retry that takes over reuses it (never a second payment). */
  resourceId: string;
  /** Epoch seconds after which the key is forgotten (DynamoDB TTL; also checked on read). */
  expiresAt: number;
  /** Epoch ms until which an IN_PROGRESS record belongs to the request that wrote it. */
  inProgressUntil: number;
  response?: ApiResponse;
};

export class IdempotencyRecordExists extends Error {
  constructor(readonly existing: IdempotencyRecord) {
    super("idempotency record exists");
  }
}

export interface IdempotencyStore {
  /** Writes `record` unless a live (unexpired) record holds the key; else throws IdempotencyRecordExists. */
  claim(record: IdempotencyRecord, nowSeconds: number): Promise<void>;
  /** Takes over an abandoned IN_PROGRESS record; false if someone else changed it first. */
  takeOver(key: string, previousInProgressUntil: number, inProgressUntil: number): Promise<boolean>;
  /** Stores the response; the key then answers with it until it expires. */
  complete(key: string, resourceId: string, response: ApiResponse): Promise<void>;
  /** Gives up the in-flight claim (keeping resourceId) so an immediate retry can take over. */
  release(key: string, resourceId: string): Promise<void>;
}

export const MIN_TTL_SECONDS = 24 * 60 * 60;

export type Decision =
  | { kind: "conflict" }
  | { kind: "replay"; response: ApiResponse }
  | { kind: "in-progress" }
  | { kind: "take-over"; resourceId: string; previousInProgressUntil: number };

/** What to do when a live record already holds the key. */
export function decide(existing: IdempotencyRecord, payloadHash: string, nowMs: number): Decision {
  if (existing.payloadHash !== payloadHash) return { kind: "conflict" };
  if (existing.status === "COMPLETED" && existing.response)
    return { kind: "replay", response: existing.response };
  if (existing.inProgressUntil > nowMs) return { kind: "in-progress" };
  return {
    kind: "take-over",
    resourceId: existing.resourceId,
    previousInProgressUntil: existing.inProgressUntil,
  };
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
  newResourceId: () => string;
  ttlSeconds: number;
  /** How long one attempt may hold the key before a retry may take over (≥ the handler timeout). */
  inProgressMs: number;
  now?: () => number;
};

export type Attempt = { resourceId: string; resumed: boolean };

const conflict: ApiResponse = {
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
 * Runs `work` at most once per key and payload. A response (data or a domain error) is
 * stored and replayed; a thrown error (in the work or while storing its response)
 * releases the claim so the retry resumes the same resource (`resumed: true`) instead of
 * starting a new one.
 */
export async function idempotent(
  store: IdempotencyStore,
  options: IdempotencyOptions,
  work: (attempt: Attempt) => Promise<ApiResponse>,
): Promise<ApiResponse> {
  const now = options.now ?? Date.now;
  const started = now();
  const record: IdempotencyRecord = {
    key: options.key,
    status: "IN_PROGRESS",
    payloadHash: options.payloadHash,
    resourceId: options.newResourceId(),
    expiresAt: Math.floor(started / 1000) + Math.max(options.ttlSeconds, MIN_TTL_SECONDS),
    inProgressUntil: started + options.inProgressMs,
  };
  let attempt: Attempt = { resourceId: record.resourceId, resumed: false };
  try {
    await store.claim(record, Math.floor(started / 1000));
  } catch (error) {
    if (!(error instanceof IdempotencyRecordExists)) throw error;
    const decision = decide(error.existing, options.payloadHash, started);
    if (decision.kind === "conflict") return conflict;
    if (decision.kind === "replay") return decision.response;
    if (decision.kind === "in-progress") return inProgress;
    const mine = await store.takeOver(options.key, decision.previousInProgressUntil, record.inProgressUntil);
    if (!mine) return inProgress;
    attempt = { resourceId: decision.resourceId, resumed: true };
  }
  try {
    const response = await work(attempt);
    await store.complete(options.key, attempt.resourceId, response);
    return response;
  } catch (error) {
    // Best effort: if even this fails, the claim lapses after `inProgressMs` instead.
    await store.release(options.key, attempt.resourceId).catch(() => undefined);
    throw error;
  }
}
