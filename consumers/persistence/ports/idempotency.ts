// The idempotency port in the style of Powertools' idempotency utility: the record of a key
// (payload hash, the resource it made, the stored response) and a store that builds its
// write for the transaction that makes the resource (consumers/api/idempotent.ts). The
// response is the API's (consumers/api/contract); persistence only keeps it.
import type { TransactionWrite } from "./transaction";

export type IdempotencyRecord<R = unknown> = {
  key: string;
  payloadHash: string;
  /** The resource (payment) the key made; absent when the response is an error. */
  resourceId?: string;
  /** Epoch seconds after which the key is forgotten (DynamoDB TTL; also checked on read). */
  expiresAt: number;
  /**
   * Epoch ms until which the request that wrote the record may still be publishing what it
   * made; a repeat after it publishes what is still pending before answering.
   */
  publishingUntil: number;
  response: R;
};

export interface IdempotencyStore<R = unknown> {
  /** The write that stores `record` unless a live (unexpired) record holds its key. */
  recordWrite(record: IdempotencyRecord<R>, nowSeconds: number): TransactionWrite;
  /** The live record of `key`, read consistently; undefined if none. */
  get(key: string, nowSeconds: number): Promise<IdempotencyRecord<R> | undefined>;
  /** Ends the publishing window (the request failed to publish), so a retry publishes at once. */
  endPublishing(key: string): Promise<void>;
}

export const MIN_TTL_SECONDS = 24 * 60 * 60;
