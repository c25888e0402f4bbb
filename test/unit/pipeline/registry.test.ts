import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { backwardIncompatibilities, type JsonSchema } from "../../../local/registry/compatibility";
import { IncompatibleSchemaError, openSchemaRegistry } from "../../../local/registry/registry";
import { schemaVersionId } from "../../../local/registry/schema-id";

const v1: JsonSchema = {
  type: "object",
  required: ["status", "amountMinor"],
  properties: { status: { type: "string", enum: ["INITIATED"] }, amountMinor: { type: "string" } },
};

describe("schema compatibility (BACKWARD)", () => {
  it("accepts an added optional property and a dropped requirement", () => {
    const next: JsonSchema = {
      ...v1,
      required: ["status"],
      properties: { ...v1.properties, note: { type: "string" } },
    };
    expect(backwardIncompatibilities(v1, next)).toEqual([]);
  });

  it("refuses a newly required property, a changed type and a narrowed enum", () => {
    const next: JsonSchema = {
      type: "object",
      required: ["status", "amountMinor", "rail"],
      properties: {
        status: { type: "string", enum: [] },
        amountMinor: { type: "integer" },
        rail: { type: "string" },
      },
    };
    const problems = backwardIncompatibilities(v1, next);
    expect(problems).toContain("$.rail: newly required");
    expect(problems.some((p) => p.startsWith("$.amountMinor: type"))).toBe(true);
    expect(problems).toContain("$.status: enum narrowed");
  });
});

describe("local schema registry", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it("gives stable ids, validates, and refuses an incompatible change across restarts", async () => {
    const dir = await mkdtemp(join(tmpdir(), "payrail-registry-"));
    dirs.push(dir);
    const file = join(dir, "registry.json");
    const first = await openSchemaRegistry({
      definitions: [{ type: "PaymentInitiated", version: 1, schema: v1 }],
      file,
    });
    const id = first.idFor("PaymentInitiated", 1);
    expect(id).toBe(schemaVersionId("PaymentInitiated", 1));
    expect(id).not.toBe(schemaVersionId("PaymentInitiated", 2));
    expect(first.validate(id, { status: "INITIATED", amountMinor: "1250" })).toEqual([]);
    expect(first.validate(id, { status: "INITIATED" }).length).toBeGreaterThan(0);
    expect(first.validate("nope", {})).toEqual(["unknown schema version id nope"]);
    expect(() => first.idFor("PaymentInitiated", 9)).toThrow(/not registered/);

    const again = await openSchemaRegistry({
      definitions: [{ type: "PaymentInitiated", version: 1, schema: v1 }],
      file,
    });
    expect(again.idFor("PaymentInitiated", 1)).toBe(id);

    const broken: JsonSchema = { ...v1, required: ["status", "amountMinor", "rail"] };
    await expect(
      openSchemaRegistry({ definitions: [{ type: "PaymentInitiated", version: 1, schema: broken }], file }),
    ).rejects.toBeInstanceOf(IncompatibleSchemaError);
    await expect(
      openSchemaRegistry({
        definitions: [
          { type: "PaymentInitiated", version: 1, schema: v1 },
          { type: "PaymentInitiated", version: 2, schema: broken },
        ],
      }),
    ).rejects.toThrow(/PaymentInitiated v2 is not backward compatible/);
  });
});
