// The cost limits of one request (#16). Checked before execution: query depth (AppSync's
// queryDepthLimit) and mutation root fields; while executing: the resolver count
// (resolverCountLimit); after: the response size. The per-tenant rate is rate-limit.ts.
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { TenantRate } from "./rate-limit";

export type QueryLimits = {
  queryDepthLimit?: number;
  resolverCountLimit?: number;
  /** Root fields (aliases count) of one mutation request. */
  mutationFieldLimit?: number;
  /** Bytes of one serialized response body. */
  responseSizeLimitBytes?: number;
  /** Per-tenant token bucket; each root field of a request takes one token. */
  tenantRate?: TenantRate;
};

/** Local defaults: AppSync's maximum depth and resolver count and its 5 MB response. */
export const DEFAULT_LIMITS = {
  queryDepthLimit: 75,
  resolverCountLimit: 10_000,
  mutationFieldLimit: 10,
  responseSizeLimitBytes: 5 * 1024 * 1024,
  tenantRate: { tokensPerSecond: 200, burst: 400 },
} satisfies Required<QueryLimits>;

const fragmentsOf = (document: DocumentNode) => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return fragments;
};

/** Root fields of an operation, aliases and fields spread from fragments included. */
export function rootFieldCount(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = fragmentsOf(document);
  const count = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    let n = 0;
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) n += s.name.value === "__typename" ? 0 : 1;
      else if (s.kind === Kind.INLINE_FRAGMENT) n += count(s.selectionSet, seen);
      else if (!seen.has(s.name.value))
        n += count(fragments.get(s.name.value)?.selectionSet, new Set([...seen, s.name.value]));
    }
    return n;
  };
  return count(operation.selectionSet, new Set());
}

export function queryDepth(document: DocumentNode): number {
  const fragments = fragmentsOf(document);
  const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!set) return 0;
    let max = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) max = Math.max(max, 1 + depthOf(s.selectionSet, seen));
      else if (s.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, depthOf(s.selectionSet, seen));
      else if (!seen.has(s.name.value)) {
        max = Math.max(
          max,
          depthOf(fragments.get(s.name.value)?.selectionSet, new Set([...seen, s.name.value])),
        );
      }
    }
    return max;
  };
  let depth = 0;
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) depth = Math.max(depth, depthOf(d.selectionSet, new Set()));
  }
  return depth;
}
