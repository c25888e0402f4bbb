// Small typed readers for YAML documents: each returns the value or throws a
// ConfigError naming the file and the dotted field, so a bad config says where.

export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${file}: ${field || "(document)"}: ${problem}`);
  }
}

export type Fields = {
  fail(field: string, problem: string): never;
  object(value: unknown, field: string): Record<string, unknown>;
  string(value: unknown, field: string, pattern?: RegExp, hint?: string): string;
  integer(value: unknown, field: string, min: number, max: number): number;
  list(value: unknown, field: string, hint: string): unknown[];
  stringList(value: unknown, field: string, pattern?: RegExp, hint?: string): string[];
  /** `{ EUR: "100000" }`: integer minor units as decimal strings (YAML numbers would lose precision). */
  minorAmounts(value: unknown, field: string): Record<string, bigint>;
  /** Refuses keys other than `allowed`, catching typos like `maxAmmount`. */
  only(value: Record<string, unknown>, field: string, allowed: readonly string[]): void;
};

const join = (field: string, key: string) => (field ? `${field}.${key}` : key);

export function fieldsOf(file: string): Fields {
  const fields: Fields = {
    fail(field, problem) {
      throw new ConfigError(file, field, problem);
    },
    object(value, field) {
      if (!value || typeof value !== "object" || Array.isArray(value))
        fields.fail(field, "must be a mapping");
      return value as Record<string, unknown>;
    },
    string(value, field, pattern, hint) {
      if (typeof value !== "string" || value.length === 0) fields.fail(field, "must be a non-empty string");
      if (pattern && !pattern.test(value)) fields.fail(field, `must be ${hint ?? `like ${pattern}`}`);
      return value;
    },
    integer(value, field, min, max) {
      if (typeof value !== "number" || !Number.isInteger(value)) fields.fail(field, "must be an integer");
      if (value < min || value > max) fields.fail(field, `must be between ${min} and ${max}`);
      return value;
    },
    list(value, field, hint) {
      if (!Array.isArray(value)) fields.fail(field, `must be a list of ${hint}`);
      return value;
    },
    stringList(value, field, pattern, hint) {
      if (value === undefined || value === null) return [];
      if (!Array.isArray(value)) fields.fail(field, "must be a list");
      return value.map((item, i) => fields.string(item, `${field}[${i}]`, pattern, hint));
    },
    minorAmounts(value, field) {
      const map = fields.object(value, field);
      const amounts: Record<string, bigint> = {};
      for (const [currency, amount] of Object.entries(map)) {
        const at = join(field, currency);
        if (!/^[A-Z]{3}$/.test(currency)) fields.fail(at, "key must be an ISO 4217 currency code");
        if (typeof amount !== "string" || !/^(0|[1-9]\d{0,17})$/.test(amount)) {
          fields.fail(at, 'must be a quoted decimal string of integer minor units, e.g. "100000"');
        }
        amounts[currency] = BigInt(amount);
      }
      return amounts;
    },
    only(value, field, allowed) {
      const unknown = Object.keys(value).find((key) => !allowed.includes(key));
      if (unknown) fields.fail(join(field, unknown), `unknown field (expected one of ${allowed.join(", ")})`);
    },
  };
  return fields;
}
