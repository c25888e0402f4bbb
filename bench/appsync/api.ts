// The benchmark API for the emulator: fixture/schema.graphql with APPSYNC_JS on a NONE
// data source (fixture/hello.ts, fixture/echo-args.ts), API_KEY auth like the simulator's.
import { fileURLToPath } from "node:url";
import type { ApiDefinition } from "../../api/definition";

const passThrough = "../../../resolvers/pipelines/pass-through.ts";

export const benchApi: ApiDefinition = {
  name: "payrail-bench",
  baseDir: fileURLToPath(new URL("./fixture/", import.meta.url)),
  schemaFile: "schema.graphql",
  localOnlySchemaFiles: ["../../../appsync-scalars.graphql"],
  authentication: { default: { mode: "API_KEY" }, additional: [] },
  dataSources: [{ name: "none", type: "NONE" }],
  functions: [
    { name: "hello", dataSource: "none", code: "hello.ts" },
    { name: "echoArgs", dataSource: "none", code: "echo-args.ts" },
  ],
  resolvers: [
    { typeName: "Query", fieldName: "hello", code: passThrough, functions: ["hello"] },
    { typeName: "Mutation", fieldName: "tick", code: passThrough, functions: ["echoArgs"] },
  ],
};
