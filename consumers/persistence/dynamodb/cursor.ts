// Paging cursors: a port hands its callers an opaque string, never DynamoDB's
// LastEvaluatedKey, so no caller depends on the table's key shape. The API seals the
// string once more (payments-api/page-token) before a partner sees it.

type Key = Record<string, unknown>;

export const cursorOf = (lastKey: Key | undefined): string | undefined =>
  lastKey ? Buffer.from(JSON.stringify(lastKey), "utf8").toString("base64url") : undefined;

export function startKeyOf(cursor: string | undefined): Key | undefined {
  if (cursor === undefined) return undefined;
  const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!key || typeof key !== "object" || Array.isArray(key)) throw new Error("not a paging cursor");
  return key as Key;
}
