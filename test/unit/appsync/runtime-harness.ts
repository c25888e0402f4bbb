// What the APPSYNC_JS runtime tests share: a runtime with its evaluation slot, a fresh
// evaluation and a resolver context, each with the parts a test cares about set.
import { type CodeModule, loadAppSyncModule } from "../../../local/appsync/runtime/load";
import type { ResolverContext } from "../../../local/appsync/runtime/pipeline";
import {
  createAppSyncUtils,
  type Evaluation,
  type EvaluationSlot,
} from "../../../local/appsync/runtime/util";

export function appSyncRuntime(log: (level: string, args: unknown[]) => void = () => {}) {
  const slot: EvaluationSlot = { current: null };
  const utils = createAppSyncUtils(slot);
  const load = (source: string): CodeModule => loadAppSyncModule(source, utils, "test.js", log);
  return { slot, load };
}

export const newEvaluation = (over: Partial<Evaluation> = {}): Evaluation => ({
  typeName: "Query",
  fieldName: "thing",
  authType: "API_KEY",
  appendedErrors: [],
  invalidations: [],
  ...over,
});

export const newCtx = (
  options: {
    args?: Record<string, unknown>;
    identity?: ResolverContext["identity"];
    fieldName?: string;
    env?: Record<string, string>;
  } = {},
): ResolverContext => ({
  arguments: options.args ?? {},
  args: options.args ?? {},
  identity: options.identity ?? null,
  source: null,
  stash: {},
  prev: { result: undefined },
  result: undefined,
  error: undefined,
  info: {
    fieldName: options.fieldName ?? "thing",
    parentTypeName: "Query",
    variables: {},
    selectionSetList: [],
    selectionSetGraphQL: "",
  },
  request: { headers: {}, domainName: null },
  ...(options.env ? { env: options.env } : {}),
});
