// Field-level authorization by AppSync's directives: a field's own auth directives win,
// else its type's; with neither only the default mode may read it.
import type { GraphQLField, GraphQLObjectType } from "graphql";
import type { AuthMode } from "../../../api/definition";
import type { Caller } from "./types";

const DIRECTIVE_MODES: Record<string, AuthMode> = {
  aws_lambda: "AWS_LAMBDA",
  aws_oidc: "OPENID_CONNECT",
  aws_iam: "AWS_IAM",
  aws_api_key: "API_KEY",
};

type AstNodeOwner = { astNode?: { directives?: readonly { name: { value: string } }[] } | null };

const modesOf = (owner: AstNodeOwner): AuthMode[] =>
  (owner.astNode?.directives ?? []).flatMap((d) => DIRECTIVE_MODES[d.name.value] ?? []);

export function createFieldAuthorizer(defaultMode: AuthMode) {
  const cache = new Map<string, Set<AuthMode>>();
  const allowedModes = (type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): Set<AuthMode> => {
    const key = `${type.name}.${field.name}`;
    let modes = cache.get(key);
    if (!modes) {
      const own = modesOf(field);
      const inherited = own.length > 0 ? own : modesOf(type);
      modes = new Set(inherited.length > 0 ? inherited : [defaultMode]);
      cache.set(key, modes);
    }
    return modes;
  };

  /** Whether the caller may resolve type.field. */
  return (caller: Caller, type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): boolean => {
    if (!allowedModes(type, field).has(caller.mode)) return false;
    const name = `${type.name}.${field.name}`;
    return !caller.deniedFields.some(
      (denied) => denied === name || denied.endsWith(`/types/${type.name}/fields/${field.name}`),
    );
  };
}

export type FieldAuthorizer = ReturnType<typeof createFieldAuthorizer>;
