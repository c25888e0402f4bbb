// Query depth, checked before execution like AppSync's queryDepthLimit; the resolver
// count (resolverCountLimit) is enforced while executing.
import { type DocumentNode, type FragmentDefinitionNode, Kind, type SelectionSetNode } from "graphql";

export type QueryLimits = { queryDepthLimit?: number; resolverCountLimit?: number };

export function queryDepth(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
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
