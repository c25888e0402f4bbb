import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { containsCardNumber } from "../payment-methods";
import { EVENT_SCHEMAS } from "./registry";
import type { EventEnvelope } from "./types";

export type EventValidation = { ok: true; event: EventEnvelope } | { ok: false; errors: string[] };

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv, ["uuid", "date-time"]);

const validators = new Map<string, ValidateFunction>(
  EVENT_SCHEMAS.map((entry) => [`${entry.type}@${entry.version}`, ajv.compile(entry.schema)]),
);

// A party's `account` holds rail identifiers (IBAN, ACH account, CNPJ...) that are checked
// against their own formats and may happen to be 13-19 Luhn-valid digits; so may what
// Payrail makes itself: the payer fingerprint (64 hex digits of an HMAC, about 1 in 230
// holds such a run) and the rail's reference (an ACH trace number is 15 digits; the
// sandbox's hex one, about 1 in 1,200). Everything else is scanned for card numbers.
const NOT_SCANNED = /^\/data\/(?:(?:payer|payee)\/account\/[a-zA-Z]+|payerFingerprint|railReference)$/;

/** JSON pointers of string or integer values that look like card numbers. Never the value itself. */
function cardNumberPaths(value: unknown, path = ""): string[] {
  if (typeof value === "string" || typeof value === "number" || typeof value === "bigint") {
    return !NOT_SCANNED.test(path) && containsCardNumber(String(value)) ? [path || "/"] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => cardNumberPaths(item, `${path}/${i}`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => [
      ...(containsCardNumber(key) ? [`${path}/(key)`] : []),
      ...cardNumberPaths(item, `${path}/${key}`),
    ]);
  }
  return [];
}

/**
 * Checks an untrusted value against the schema of its own `type` and `schemaVersion`,
 * and refuses anything that carries a card number. Error messages name paths, not values.
 */
export function validateEvent(value: unknown): EventValidation {
  if (!value || typeof value !== "object" || Array.isArray(value))
    return { ok: false, errors: ["/: must be an object"] };
  const { type, schemaVersion } = value as { type?: unknown; schemaVersion?: unknown };
  const validator = validators.get(`${String(type)}@${String(schemaVersion)}`);
  if (!validator)
    return {
      ok: false,
      errors: [`/type: no schema registered for ${String(type)} v${String(schemaVersion)}`],
    };
  const errors = validator(value)
    ? []
    : (validator.errors ?? []).map(
        (error) => `${error.instancePath || "/"}: ${error.message ?? "is invalid"}`,
      );
  errors.push(...cardNumberPaths(value).map((path) => `${path}: must not contain a card number`));
  return errors.length === 0 ? { ok: true, event: value as EventEnvelope } : { ok: false, errors };
}
