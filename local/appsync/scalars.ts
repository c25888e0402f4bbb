// AppSync's built-in scalars, validated on input (literals and variables) and output as
// AppSync does. AWSJSON reaches resolvers parsed and leaves the API as JSON text.
import { isIP } from "node:net";
import {
  GraphQLError,
  type GraphQLScalarType,
  type GraphQLSchema,
  Kind,
  type ValueNode,
  valueFromASTUntyped,
} from "graphql";

const OFFSET = "(Z|[+-]\\d{2}:\\d{2}(:\\d{2})?)";
const DATE = "\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])";
const TIME = "([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?";
const AWS_DATE = new RegExp(`^${DATE}${OFFSET}?$`);
const AWS_TIME = new RegExp(`^${TIME}${OFFSET}?$`);
const AWS_DATE_TIME = new RegExp(`^${DATE}T${TIME}${OFFSET}$`);
const EMAIL = /^[^@\s"(),:;<>[\]\\]+@[^@\s"(),:;<>[\]\\]+\.[^@\s"(),:;<>[\]\\]+$/;
const PHONE = /^\+?[0-9][0-9 ()\-.]{2,}[0-9]$/;

const isRealDate = (text: string): boolean => {
  const [y, m, d] = text.slice(0, 10).split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

const isUrl = (text: string): boolean => {
  try {
    return /^[a-z][a-z0-9+.-]*:/i.test(text) && Boolean(new URL(text));
  } catch {
    return false;
  }
};

const isIpOrCidr = (text: string): boolean => {
  const [address = "", prefix, ...rest] = text.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (version === 4 ? 32 : 128);
};

type StringCheck = (text: string) => boolean;

const STRING_SCALARS: Record<string, StringCheck> = {
  AWSDate: (t) => AWS_DATE.test(t) && isRealDate(t),
  AWSTime: (t) => AWS_TIME.test(t),
  AWSDateTime: (t) => AWS_DATE_TIME.test(t) && isRealDate(t),
  AWSEmail: (t) => EMAIL.test(t),
  AWSURL: isUrl,
  AWSPhone: (t) => PHONE.test(t) && t.replace(/\D/g, "").length >= 3,
  AWSIPAddress: isIpOrCidr,
};

const invalid = (name: string, value: unknown): GraphQLError =>
  new GraphQLError(`Invalid ${name} value: ${JSON.stringify(value)}`);

const stringScalar = (name: string, check: StringCheck) => {
  const validate = (value: unknown): string => {
    if (typeof value !== "string" || !check(value)) throw invalid(name, value);
    return value;
  };
  return {
    serialize: validate,
    parseValue: validate,
    parseLiteral: (node: ValueNode) =>
      validate(node.kind === Kind.STRING ? node.value : valueFromASTUntyped(node)),
  };
};

const timestamp = {
  serialize: (value: unknown): number => {
    const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !Number.isSafeInteger(n)) throw invalid("AWSTimestamp", value);
    return n;
  },
  parseValue: (value: unknown): number => {
    if (typeof value !== "number" || !Number.isSafeInteger(value)) throw invalid("AWSTimestamp", value);
    return value;
  },
  parseLiteral: (node: ValueNode): number => {
    if (node.kind !== Kind.INT) throw invalid("AWSTimestamp", valueFromASTUntyped(node));
    return Number(node.value);
  },
};

const parseJson = (value: unknown): unknown => {
  if (typeof value !== "string") throw invalid("AWSJSON", value);
  try {
    return JSON.parse(value);
  } catch {
    throw invalid("AWSJSON", value);
  }
};

const json = {
  serialize: (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value)),
  parseValue: parseJson,
  parseLiteral: (node: ValueNode) => parseJson(node.kind === Kind.STRING ? node.value : undefined),
};

/** Gives the schema's AppSync scalars their validation (buildSchema leaves them as identity). */
export function installAppSyncScalars(schema: GraphQLSchema): void {
  const behaviours: Record<string, Partial<GraphQLScalarType>> = {
    ...Object.fromEntries(
      Object.entries(STRING_SCALARS).map(([name, check]) => [name, stringScalar(name, check)]),
    ),
    AWSTimestamp: timestamp,
    AWSJSON: json,
  };
  for (const [name, behaviour] of Object.entries(behaviours)) {
    const type = schema.getType(name) as GraphQLScalarType | undefined;
    if (type) Object.assign(type, behaviour);
  }
}
