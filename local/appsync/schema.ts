// Builds the executable schema of an API definition: the deployed SDL plus the
// declarations AppSync has built in, with AppSync's scalar validation.
import { readFile } from "node:fs/promises";
import { buildSchema, type GraphQLSchema } from "graphql";
import { type ApiDefinition, apiPath } from "../../api/definition";
import { installAppSyncScalars } from "./scalars";

export async function loadSchema(api: ApiDefinition): Promise<GraphQLSchema> {
  const files = [...api.localOnlySchemaFiles, api.schemaFile];
  const sdl = (await Promise.all(files.map((file) => readFile(apiPath(api, file), "utf8")))).join("\n");
  const schema = buildSchema(sdl);
  installAppSyncScalars(schema);
  return schema;
}
