// BACKWARD compatibility of event schemas (Glue's default mode): a consumer that reads
// with the new version must accept every event written with the old one. The new
// version may add optional fields or relax constraints; removing a field (objects are
// closed), retyping one, narrowing an enum/const or adding a required field breaks.

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: readonly unknown[];
  const?: unknown;
  [keyword: string]: unknown;
};

// Constraints whose change could reject old data; dropping one only relaxes.
const CONSTRAINTS = [
  "pattern",
  "format",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
];

function typesOf(schema: JsonSchema): string[] | undefined {
  if (schema.type === undefined) return undefined;
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** Values the schema admits when it is an enum or const, else undefined (any value of its type). */
function allowedValues(schema: JsonSchema): readonly unknown[] | undefined {
  if ("const" in schema) return [schema.const];
  return schema.enum;
}

/** Why `next` cannot read data written under `previous`; empty when it can. Paths are JSON pointers. */
export function compatibilityProblems(previous: JsonSchema, next: JsonSchema, path = ""): string[] {
  const at = path || "/";
  const problems: string[] = [];
  const oldTypes = typesOf(previous);
  const newTypes = typesOf(next);
  if (newTypes && (!oldTypes || oldTypes.some((t) => !newTypes.includes(t)))) {
    problems.push(`${at}: type changed from ${oldTypes?.join("|") ?? "any"} to ${newTypes.join("|")}`);
  }
  const newValues = allowedValues(next);
  const oldValues = allowedValues(previous);
  if (newValues && (!oldValues || oldValues.some((v) => !newValues.includes(v)))) {
    problems.push(`${at}: allowed values narrowed`);
  }
  for (const keyword of CONSTRAINTS) {
    if (next[keyword] !== undefined && next[keyword] !== previous[keyword]) {
      problems.push(`${at}: ${keyword} changed`);
    }
  }
  const oldRequired = new Set(previous.required ?? []);
  for (const name of next.required ?? []) {
    if (!oldRequired.has(name)) problems.push(`${path}/${name}: added as required`);
  }
  if (next.additionalProperties === false && previous.additionalProperties !== false) {
    problems.push(`${at}: closed to additional properties`);
  }
  const newProperties = next.properties ?? {};
  for (const [name, oldProperty] of Object.entries(previous.properties ?? {})) {
    const newProperty = newProperties[name];
    if (newProperty) problems.push(...compatibilityProblems(oldProperty, newProperty, `${path}/${name}`));
    else if (next.additionalProperties === false) problems.push(`${path}/${name}: removed`);
  }
  if (previous.items && next.items)
    problems.push(...compatibilityProblems(previous.items, next.items, `${path}/items`));
  return problems;
}

export function isBackwardCompatible(previous: JsonSchema, next: JsonSchema): boolean {
  return compatibilityProblems(previous, next).length === 0;
}
