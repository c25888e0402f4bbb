import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { knownSchemas, schemaVersionId } from "../../../consumers/pipeline/schema-ids";
import { EVENT_SCHEMAS, type JsonSchema } from "../../../core/events";
import { IncompatibleSchemaError, openSchemaRegistry } from "../../../local/registry/registry";

const v1: JsonSchema = {
  type: "object",
  required: ["status", "amountMinor"],
  properties: { status: { type: "string", enum: ["INITIATED"] }, amountMinor: { type: "string" } },
};
const broken: JsonSchema = { ...v1, required: ["status", "amountMinor", "rail"] };

describe("local schema registry", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it("registers core's whole catalogue under the ids producers and consumers derive", async () => {
    const registry = await openSchemaRegistry({ definitions: EVENT_SCHEMAS });
    const known = knownSchemas();
    expect(registry.all()).toHaveLength(EVENT_SCHEMAS.length);
    for (const { type, version } of EVENT_SCHEMAS) {
      const id = registry.idFor(type, version);
      expect(id).toBe(known.idFor(type, version));
      expect(registry.byId(id)).toEqual({ type, version });
    }
    expect(new Set(registry.all().map((s) => s.id)).size).toBe(EVENT_SCHEMAS.length);
    expect(registry.byId(schemaVersionId("PaymentInitiated", 99))).toBeUndefined();
  });

  it("refuses today's catalogue if it broke a schema registered before (committed snapshot)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "payrail-registry-"));
    dirs.push(dir);
    const file = join(dir, "registry.json");
    await copyFile(join(import.meta.dirname, "fixtures", "registered-schemas.json"), file);
    const registry = await openSchemaRegistry({ definitions: EVENT_SCHEMAS, file });
    expect(registry.all().length).toBeGreaterThanOrEqual(EVENT_SCHEMAS.length);
  });

  it("keeps ids across restarts and refuses a backward-incompatible change", async () => {
    const dir = await mkdtemp(join(tmpdir(), "payrail-registry-"));
    dirs.push(dir);
    const file = join(dir, "registry.json");
    const definition = { type: "Probe", version: 1, schema: v1 };
    const first = await openSchemaRegistry({ definitions: [definition], file });
    const again = await openSchemaRegistry({ definitions: [definition], file });
    expect(again.idFor("Probe", 1)).toBe(first.idFor("Probe", 1));
    expect(() => again.idFor("Probe", 2)).toThrow(/not registered/);

    await expect(
      openSchemaRegistry({ definitions: [{ ...definition, schema: broken }], file }),
    ).rejects.toBeInstanceOf(IncompatibleSchemaError);
    await expect(
      openSchemaRegistry({ definitions: [definition, { type: "Probe", version: 2, schema: broken }] }),
    ).rejects.toThrow(/Probe v2 is not backward compatible/);
  });
});
