// util.dynamodb: plain values to DynamoDB attribute values, as AppSync converts them.

export type AttributeValue = Record<string, unknown>;

const toDynamoDB = (value: unknown): AttributeValue => {
  if (value === null || value === undefined) return { NULL: null };
  if (typeof value === "string") return { S: value };
  if (typeof value === "number" || typeof value === "bigint") return { N: String(value) };
  if (typeof value === "boolean") return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toDynamoDB) };
  return { M: toMapValues(value as Record<string, unknown>) };
};

const toMapValues = (map: Record<string, unknown>): Record<string, AttributeValue> =>
  Object.fromEntries(
    Object.entries(map)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, toDynamoDB(v)]),
  );

const orNull = <T, R>(value: T | null | undefined, convert: (v: T) => R): R | null =>
  value === null || value === undefined ? null : convert(value);

const fromDynamoDB = (value: AttributeValue): unknown => {
  const [type, v] = Object.entries(value)[0] ?? ["NULL", true];
  switch (type) {
    case "N":
      return Number(v);
    case "NS":
      return (v as string[]).map(Number);
    case "L":
      return (v as AttributeValue[]).map(fromDynamoDB);
    case "M":
      return fromMapValues(v as Record<string, AttributeValue>);
    case "NULL":
      return null;
    default:
      return v;
  }
};

export const fromMapValues = (map: Record<string, AttributeValue>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(map).map(([k, v]) => [k, fromDynamoDB(v)]));

export const createDynamoDBUtils = () => ({
  toDynamoDB,
  toMapValues,
  toString: (v: string | null | undefined) => orNull(v, (s) => ({ S: s })),
  toStringSet: (v: string[] | null | undefined) => orNull(v, (ss) => ({ SS: ss })),
  toNumber: (v: number | null | undefined) => orNull(v, (n) => ({ N: String(n) })),
  toNumberSet: (v: number[] | null | undefined) => orNull(v, (ns) => ({ NS: ns.map(String) })),
  toBinary: (v: string | null | undefined) => orNull(v, (b) => ({ B: b })),
  toBinarySet: (v: string[] | null | undefined) => orNull(v, (bs) => ({ BS: bs })),
  toBoolean: (v: boolean | null | undefined) => orNull(v, (b) => ({ BOOL: b })),
  toNull: () => ({ NULL: null }),
  toList: (v: unknown[] | null | undefined) => orNull(v, (l) => ({ L: l.map(toDynamoDB) })),
  toMap: (v: Record<string, unknown> | null | undefined) => orNull(v, (m) => ({ M: toMapValues(m) })),
  toS3Object: (key: string, bucket: string, region: string, version?: string) => ({
    S: JSON.stringify({ s3: { key, bucket, region, ...(version ? { version } : {}) } }),
  }),
  fromS3ObjectJson: (json: string): string => JSON.parse(json).s3.key,
});
