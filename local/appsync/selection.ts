// Selection-set helpers: ctx.info.selectionSetList and the mutation result restricted
// to the fields the mutation selected (what AppSync hands to subscriptions).
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  Kind,
  print,
  type SelectionSetNode,
} from "graphql";

type Fragments = Record<string, FragmentDefinitionNode>;

function* fieldsOf(set: SelectionSetNode | undefined, fragments: Fragments): Generator<FieldNode> {
  for (const s of set?.selections ?? []) {
    if (s.kind === Kind.FIELD) yield s;
    else if (s.kind === Kind.INLINE_FRAGMENT) yield* fieldsOf(s.selectionSet, fragments);
    else yield* fieldsOf(fragments[s.name.value]?.selectionSet, fragments);
  }
}

/** AppSync's ctx.info.selectionSetList: "field", "field/subField", without __typename. */
export function selectionSetList(info: GraphQLResolveInfo): string[] {
  const out: string[] = [];
  const walk = (set: SelectionSetNode | undefined, prefix: string) => {
    for (const field of fieldsOf(set, info.fragments)) {
      if (field.name.value === "__typename") continue;
      const path = `${prefix}${field.name.value}`;
      if (!out.includes(path)) out.push(path);
      walk(field.selectionSet, `${path}/`);
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet, "");
  return out;
}

export const selectionSetGraphQL = (info: GraphQLResolveInfo): string =>
  info.fieldNodes[0]?.selectionSet ? print(info.fieldNodes[0].selectionSet) : "";

/** Re-keys response data (by alias) to field names, keeping only the selected fields. */
export function restrictToSelection(
  value: unknown,
  set: SelectionSetNode | undefined,
  fragments: Fragments,
): unknown {
  if (value === null || value === undefined || !set) return value ?? null;
  if (Array.isArray(value)) return value.map((v) => restrictToSelection(v, set, fragments));
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fieldsOf(set, fragments)) {
    const name = field.name.value;
    const restricted = restrictToSelection(source[field.alias?.value ?? name], field.selectionSet, fragments);
    const existing = out[name];
    out[name] =
      existing && typeof existing === "object" && restricted && typeof restricted === "object"
        ? { ...existing, ...restricted }
        : restricted;
  }
  return out;
}

export const fragmentsOf = (definitions: readonly { kind: string }[]): Fragments =>
  Object.fromEntries(
    definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
