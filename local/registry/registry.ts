// Local schema registry (Glue Schema Registry's role): every event type/version is
// registered at start under a stable id; a definition that is not backward compatible
// with the previous version, or with what was registered before under the same version
// (kept in `file` across restarts), is refused, so start-up and tests fail on it.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { Ajv2020 } from "ajv/dist/2020";
import { backwardIncompatibilities, type JsonSchema } from "./compatibility";
import { schemaVersionId } from "./schema-id";

export type SchemaDefinition = { type: string; version: number; schema: JsonSchema };
export type RegisteredSchema = SchemaDefinition & { id: string };

export type SchemaRegistry = {
  /** Id of a registered type/version; throws for one that is not registered. */
  idFor(type: string, version: number): string;
  byId(id: string): RegisteredSchema | undefined;
  /** Validation errors of `value` against schema `id` (empty = valid). */
  validate(id: string, value: unknown): string[];
  all(): RegisteredSchema[];
};

export class IncompatibleSchemaError extends Error {
  override name = "IncompatibleSchemaError";
}

export async function openSchemaRegistry(options: {
  definitions: readonly SchemaDefinition[];
  /** Where registrations persist; omitted = in memory only. */
  file?: string;
}): Promise<SchemaRegistry> {
  const stored = options.file ? await readStored(options.file) : [];
  const key = (type: string, version: number) => `${type}:${version}`;
  const byKey = new Map<string, RegisteredSchema>(stored.map((s) => [key(s.type, s.version), s]));

  const ordered = [...options.definitions].sort(
    (a, b) => a.type.localeCompare(b.type) || a.version - b.version,
  );
  for (const definition of ordered) {
    const problems = [
      ...againstPrevious(byKey.get(key(definition.type, definition.version)), definition),
      ...againstPrevious(byKey.get(key(definition.type, definition.version - 1)), definition),
    ];
    if (problems.length > 0) {
      throw new IncompatibleSchemaError(
        `${definition.type} v${definition.version} is not backward compatible: ${problems.join("; ")}`,
      );
    }
    byKey.set(key(definition.type, definition.version), {
      ...definition,
      id: schemaVersionId(definition.type, definition.version),
    });
  }
  if (options.file) {
    await mkdir(dirname(options.file), { recursive: true });
    await writeFile(options.file, `${JSON.stringify([...byKey.values()], null, 2)}\n`);
  }

  const byId = new Map([...byKey.values()].map((s) => [s.id, s]));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  return {
    idFor(type, version) {
      const found = byKey.get(key(type, version));
      if (!found) throw new Error(`schema ${type} v${version} is not registered`);
      return found.id;
    },
    byId: (id) => byId.get(id),
    validate(id, value) {
      const found = byId.get(id);
      if (!found) return [`unknown schema version id ${id}`];
      // Keyed by our id; the definition's own $id/$schema would clash or name another draft.
      if (!ajv.getSchema(id)) {
        const { $id: _id, $schema: _draft, ...body } = found.schema;
        ajv.addSchema(body, id);
      }
      const check = ajv.getSchema(id);
      if (!check || check(value)) return [];
      return (check.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "invalid"}`);
    },
    all: () => [...byKey.values()],
  };
}

function againstPrevious(previous: RegisteredSchema | undefined, next: SchemaDefinition): string[] {
  return previous ? backwardIncompatibilities(previous.schema, next.schema) : [];
}

async function readStored(file: string): Promise<RegisteredSchema[]> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as RegisteredSchema[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
