// BACKWARD compatibility between two JSON Schemas of one event type, as the registry
// enforces it: a reader on the new schema must accept every record written with the old.
// So the new schema may add optional properties and drop requirements, but not require a
// property the old one did not, change a property's type, narrow an enum, or forbid a
// property the old one had.
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  [keyword: string]: unknown;
};

const types = (schema: JsonSchema): string[] =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];

/** Why `next` cannot read what `previous` wrote; empty when compatible. */
export function backwardIncompatibilities(previous: JsonSchema, next: JsonSchema, path = "$"): string[] {
  const problems: string[] = [];
  const oldTypes = types(previous);
  const newTypes = types(next);
  if (
    newTypes.length > 0 &&
    oldTypes.some((t) => !newTypes.includes(t) && !(t === "integer" && newTypes.includes("number")))
  ) {
    problems.push(`${path}: type ${oldTypes.join("|")} became ${newTypes.join("|")}`);
  }
  if (next.enum && (!previous.enum || previous.enum.some((v) => !next.enum?.includes(v)))) {
    problems.push(`${path}: enum narrowed`);
  }
  if ("const" in next && previous.const !== next.const) problems.push(`${path}: const changed`);
  const oldRequired = new Set(previous.required ?? []);
  for (const name of next.required ?? []) {
    if (!oldRequired.has(name)) problems.push(`${path}.${name}: newly required`);
  }
  const oldProps = previous.properties ?? {};
  const newProps = next.properties ?? {};
  for (const [name, oldProp] of Object.entries(oldProps)) {
    const newProp = newProps[name];
    if (newProp) problems.push(...backwardIncompatibilities(oldProp, newProp, `${path}.${name}`));
    else if (next.additionalProperties === false)
      problems.push(`${path}.${name}: removed but no longer allowed`);
  }
  if (previous.items && next.items)
    problems.push(...backwardIncompatibilities(previous.items, next.items, `${path}[]`));
  return problems;
}
