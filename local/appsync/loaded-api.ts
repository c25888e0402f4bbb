// An API definition made executable: schema, bundled and evaluated resolver code, and
// the @aws_subscribe links from mutations to subscription fields.
import { type GraphQLSchema, Kind } from "graphql";
import { type ApiDefinition, apiPath, findFunction } from "../../api/definition";
import { bundleAppSyncCode } from "./bundle";
import { type ConsoleSink, loadAppSyncModule } from "./runtime/load";
import type { LoadedPipeline } from "./runtime/pipeline";
import { createAppSyncUtils, type EvaluationSlot } from "./runtime/util";
import { loadSchema } from "./schema";

export type LoadedApi = {
  definition: ApiDefinition;
  schema: GraphQLSchema;
  /** Keyed "Type.field". */
  pipelines: Map<string, LoadedPipeline>;
  slot: EvaluationSlot;
  /** Mutation field name → subscription fields it triggers. */
  subscribers: Map<string, string[]>;
};

function subscribeLinks(schema: GraphQLSchema): Map<string, string[]> {
  const links = new Map<string, string[]>();
  for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
    const directive = field.astNode?.directives?.find((d) => d.name.value === "aws_subscribe");
    const list = directive?.arguments?.find((a) => a.name.value === "mutations")?.value;
    if (list?.kind !== Kind.LIST) continue;
    for (const value of list.values) {
      if (value.kind !== Kind.STRING) continue;
      links.set(value.value, [...(links.get(value.value) ?? []), field.name]);
    }
  }
  return links;
}

export async function loadApi(definition: ApiDefinition, log: ConsoleSink): Promise<LoadedApi> {
  const schema = await loadSchema(definition);
  const slot: EvaluationSlot = { current: null };
  const utils = createAppSyncUtils(slot);
  const bundles = new Map<string, Promise<string>>();
  const load = async (code: string) => {
    const path = apiPath(definition, code);
    let bundle = bundles.get(path);
    if (!bundle) {
      bundle = bundleAppSyncCode(path);
      bundles.set(path, bundle);
    }
    return loadAppSyncModule(await bundle, utils, path, log);
  };
  const pipelines = new Map<string, LoadedPipeline>();
  for (const resolver of definition.resolvers) {
    const functions = await Promise.all(
      resolver.functions.map(async (name) => {
        const fn = findFunction(definition, name);
        return { name, dataSource: fn.dataSource, code: await load(fn.code) };
      }),
    );
    pipelines.set(`${resolver.typeName}.${resolver.fieldName}`, {
      code: await load(resolver.code),
      functions,
    });
  }
  return { definition, schema, pipelines, slot, subscribers: subscribeLinks(schema) };
}
