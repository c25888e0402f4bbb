import { readFileSync } from "node:fs";
import { buildSchema, type GraphQLObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { apiPath, findDataSource, findFunction, payrailApi } from "../../../api/definition";

describe("api/definition", () => {
  const sdl = [...payrailApi.localOnlySchemaFiles, payrailApi.schemaFile]
    .map((file) => readFileSync(apiPath(payrailApi, file), "utf8"))
    .join("\n");
  const schema = buildSchema(sdl);

  it("attaches every resolver to a field of the schema, once", () => {
    const keys = payrailApi.resolvers.map((r) => `${r.typeName}.${r.fieldName}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of payrailApi.resolvers) {
      const type = schema.getType(r.typeName) as GraphQLObjectType;
      expect(type.getFields()[r.fieldName], `${r.typeName}.${r.fieldName}`).toBeDefined();
    }
  });

  it("resolves every root field of the schema", () => {
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    for (const root of roots) {
      for (const field of Object.keys(root?.getFields() ?? {})) {
        expect(payrailApi.resolvers.some((r) => r.typeName === root?.name && r.fieldName === field)).toBe(
          true,
        );
      }
    }
  });

  it("names only declared functions and data sources", () => {
    for (const r of payrailApi.resolvers)
      for (const f of r.functions) expect(findFunction(payrailApi, f).name).toBe(f);
    for (const f of payrailApi.functions)
      expect(findDataSource(payrailApi, f.dataSource).name).toBe(f.dataSource);
  });
});
