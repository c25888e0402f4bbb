// The client's free `metadata` (AWSJSON): checked for shape with an explicit stack, before
// anything recursive (canonical JSON, the payload hash, JSON.stringify, the DynamoDB
// marshaller) touches it, so a deep or hostile object is a ValidationError, not a crash.
import { validationError } from "../errors";
import { containsCardNumber } from "./card-number";

const FIELD = "input.metadata";
export const METADATA_LIMITS = { maxDepth: 10, maxKeys: 200, maxBytes: 4096 } as const;
// Keys that mean something to JavaScript objects: refused rather than risk prototype pollution.
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Throws a ValidationError naming input.metadata unless the shape is within the limits. */
function checkShape(root: object): void {
  const stack: [unknown, number][] = [[root, 1]];
  let keys = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== "object" || value === null) continue;
    if (depth > METADATA_LIMITS.maxDepth) {
      throw validationError(
        FIELD,
        `must nest at most ${METADATA_LIMITS.maxDepth} levels of objects and arrays`,
      );
    }
    const entries = Array.isArray(value) ? value.map((inner) => ["", inner] as const) : Object.entries(value);
    for (const [key, inner] of entries) {
      if (!Array.isArray(value)) {
        keys++;
        if (RESERVED_KEYS.has(key))
          throw validationError(FIELD, "must not use the keys __proto__, constructor or prototype");
      }
      stack.push([inner, depth + 1]);
    }
    // JSON.parse keeps "__proto__" as an own key, which Object.entries lists above.
    if (keys > METADATA_LIMITS.maxKeys)
      throw validationError(FIELD, `must have at most ${METADATA_LIMITS.maxKeys} keys`);
  }
}

/**
 * AppSync hands AWSJSON arguments to resolvers (and so to the Lambda) already parsed;
 * a direct caller may still send the JSON text. Either way it must be an object within
 * METADATA_LIMITS and without a card number.
 */
export function parseMetadata(metadata: unknown): Record<string, unknown> {
  let parsed = metadata;
  if (typeof metadata === "string") {
    if (Buffer.byteLength(metadata) > METADATA_LIMITS.maxBytes) throw tooLarge();
    try {
      parsed = JSON.parse(metadata);
    } catch {
      throw validationError(FIELD, "must be a JSON object");
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw validationError(FIELD, "must be a JSON object");
  }
  checkShape(parsed);
  const text = JSON.stringify(parsed);
  if (Buffer.byteLength(text) > METADATA_LIMITS.maxBytes) throw tooLarge();
  if (containsCardNumber(text)) throw validationError(FIELD, "must not contain a card number");
  return parsed as Record<string, unknown>;
}

const tooLarge = () => validationError(FIELD, "must be at most 4 KiB as JSON");
