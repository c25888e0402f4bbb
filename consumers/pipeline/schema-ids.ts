// Schema version ids as records carry them in the `schema-version-id` header. They are
// derived from type and version, so producer, consumers and the local registry agree
// without a lookup; a consumer accepts only ids of versions it knows (core's catalogue).
import { EVENT_SCHEMAS } from "../../core/events";
import { derivedUuid } from "../../core/events/derived-id";

export type SchemaVersion = { type: string; version: number };

export interface SchemaLookup {
  byId(id: string): SchemaVersion | undefined;
  idFor(type: string, version: number): string;
}

export const schemaVersionId = (type: string, version: number): string =>
  derivedUuid("payrail-event-schema", `${type}:${version}`);

/** The versions this build of the code can read and write. */
export function knownSchemas(versions: readonly SchemaVersion[] = EVENT_SCHEMAS): SchemaLookup {
  const byId = new Map(
    versions.map((v) => [schemaVersionId(v.type, v.version), { type: v.type, version: v.version }]),
  );
  return {
    byId: (id) => byId.get(id),
    idFor(type, version) {
      const id = schemaVersionId(type, version);
      if (!byId.has(id)) throw new Error(`schema ${type} v${version} is not registered`);
      return id;
    },
  };
}
