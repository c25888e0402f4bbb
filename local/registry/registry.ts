// Local schema registry (Glue Schema Registry's role): every event type/version of core's
// catalogue is registered at start under its stable id. A definition that is not backward
// compatible with the previous version, or with what was registered earlier under the
// same version (kept in `file` across restarts), is refused, so start-up and tests fail.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type SchemaLookup, schemaVersionId } from "../../consumers/pipeline/schema-ids";
import { compatibilityProblems, type EventSchemaDefinition, type JsonSchema } from "../../core/events";

export type SchemaDefinition = Pick<EventSchemaDefinition, "version" | "schema"> & { type: string };
export type RegisteredSchema = SchemaDefinition & { id: string };

export type SchemaRegistry = SchemaLookup & {
  schemaOf(id: string): JsonSchema | undefined;
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
    const problems = [definition.version, definition.version - 1].flatMap((version) => {
      const previous = byKey.get(key(definition.type, version));
      return previous ? compatibilityProblems(previous.schema, definition.schema) : [];
    });
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
  return {
    byId(id) {
      const found = byId.get(id);
      return found && { type: found.type, version: found.version };
    },
    idFor(type, version) {
      const found = byKey.get(key(type, version));
      if (!found) throw new Error(`schema ${type} v${version} is not registered`);
      return found.id;
    },
    schemaOf: (id) => byId.get(id)?.schema,
    all: () => [...byKey.values()],
  };
}

async function readStored(file: string): Promise<RegisteredSchema[]> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as RegisteredSchema[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
