// ClientRequestToken of TransactWriteItems, as DynamoDB keeps it: for 10 minutes after a
// transaction succeeded, the same token with the same request succeeds again without
// applying anything, and with another request fails with IdempotentParameterMismatch.
// While the first is still running, a repeat gets TransactionInProgressException. A
// transaction that failed leaves no token behind. Kept in memory: a restart forgets them.
import { createHash } from "node:crypto";
import { dynamoDbError } from "./errors";

const TOKEN_TTL_MS = 10 * 60 * 1000;

type Entry = { hash: string; at: number; done: boolean };

export type RequestTokens = {
  /** Runs `apply` unless the token already succeeded with this request (then answers `{}`). */
  once(token: string | undefined, request: unknown, apply: () => Promise<object>): Promise<object>;
};

export function requestTokens(now: () => number = Date.now): RequestTokens {
  const entries = new Map<string, Entry>();
  const forgetExpired = () => {
    // Insertion order is age order (an entry is only ever re-added as new).
    for (const [token, entry] of entries) {
      if (now() - entry.at < TOKEN_TTL_MS) break;
      entries.delete(token);
    }
  };
  return {
    async once(token, request, apply) {
      if (token === undefined) return apply();
      forgetExpired();
      const { ClientRequestToken: _token, ...rest } = request as Record<string, unknown>;
      const hash = createHash("sha256").update(JSON.stringify(rest)).digest("hex");
      const seen = entries.get(token);
      if (seen && seen.hash !== hash)
        throw dynamoDbError(
          "IdempotentParameterMismatchException",
          "Request parameters do not match the parameters of the original request with this ClientRequestToken",
        );
      if (seen?.done) return {};
      if (seen)
        throw dynamoDbError("TransactionInProgressException", "Transaction is ongoing for the request");
      entries.set(token, { hash, at: now(), done: false });
      try {
        const result = await apply();
        entries.delete(token);
        entries.set(token, { hash, at: now(), done: true });
        return result;
      } catch (error) {
        entries.delete(token);
        throw error;
      }
    },
  };
}
