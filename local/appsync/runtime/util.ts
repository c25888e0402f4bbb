// The `util`, `extensions` and `runtime` objects of `@aws-appsync/utils`, bound to the
// evaluation in progress (resolver handlers are synchronous, so one slot suffices).
import { randomUUID } from "node:crypto";
import { ulid } from "ulid";
import { createDynamoDBUtils } from "./dynamodb";
import { type AppSyncErrorFields, EarlyReturn, ResolverError, unauthorizedError } from "./errors";
import { createHttpUtils } from "./http";
import { createTimeUtils } from "./time";
import { createTransformUtils, type SubscriptionFilter } from "./transform";

/** What one handler call may record besides its return value. */
export type Evaluation = {
  typeName: string;
  fieldName: string;
  authType: string;
  appendedErrors: AppSyncErrorFields[];
  subscriptionFilter?: SubscriptionFilter;
  invalidationFilter?: SubscriptionFilter;
  invalidations: { subscriptionField: string; payload: Record<string, unknown> }[];
  /** Set by `util.http.addResponseHeader`; they reach the HTTP response of the operation. */
  responseHeaders?: Record<string, string>;
};

export type EvaluationSlot = { current: Evaluation | null };

const KSUID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KSUID_EPOCH_S = 1_400_000_000;

const ksuid = (): string => {
  const bytes = new Uint8Array(20);
  new DataView(bytes.buffer).setUint32(0, Math.floor(Date.now() / 1000) - KSUID_EPOCH_S);
  crypto.getRandomValues(bytes.subarray(4));
  let n = BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
  let out = "";
  for (let i = 0; i < 27; i++) {
    out = KSUID_ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
};

const typeOf = (value: unknown): string => {
  if (value === null || value === undefined) return "Null";
  if (Array.isArray(value)) return "List";
  if (typeof value === "string") return "String";
  if (typeof value === "number") return "Number";
  if (typeof value === "boolean") return "Boolean";
  return "Map";
};

const isBlank = (v: unknown) => v === null || v === undefined || (typeof v === "string" && v.trim() === "");
const isEmpty = (v: unknown) => v === null || v === undefined || v === "";

export function createAppSyncUtils(slot: EvaluationSlot) {
  const evaluation = (): Evaluation => {
    if (!slot.current) throw new Error("@aws-appsync/utils used outside a resolver handler");
    return slot.current;
  };
  const errorFields = (message: string, errorType?: string, data?: unknown, errorInfo?: unknown) => ({
    message,
    errorType,
    data,
    errorInfo,
  });

  const util = {
    error(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): never {
      throw new ResolverError(errorFields(message, errorType, data, errorInfo));
    },
    appendError(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): void {
      evaluation().appendedErrors.push(errorFields(message, errorType, data ?? null, errorInfo ?? null));
    },
    unauthorized(): never {
      const { typeName, fieldName } = evaluation();
      throw unauthorizedError(typeName, fieldName);
    },
    authType: (): string => evaluation().authType,
    autoId: (): string => randomUUID(),
    autoUlid: (): string => ulid(),
    autoKsuid: ksuid,
    escapeJavaScript: (value: string): string => JSON.stringify(value).slice(1, -1),
    urlEncode: (value: string): string => encodeURIComponent(value).replace(/%20/g, "+"),
    urlDecode: (value: string): string => decodeURIComponent(value.replace(/\+/g, "%20")),
    base64Encode: (value: string): string => Buffer.from(value, "utf8").toString("base64"),
    base64Decode: (value: string): string => Buffer.from(value, "base64").toString("utf8"),
    matches: (pattern: string, value: string): boolean => new RegExp(`^(?:${pattern})$`).test(value),
    isNull: (v: unknown): boolean => v === null || v === undefined,
    isNullOrEmpty: isEmpty,
    isNullOrBlank: isBlank,
    defaultIfNull: <T>(v: T, d: T): T => (v === null || v === undefined ? d : v),
    defaultIfNullOrEmpty: <T>(v: T, d: T): T => (isEmpty(v) ? d : v),
    defaultIfNullOrBlank: <T>(v: T, d: T): T => (isBlank(v) ? d : v),
    isString: (v: unknown): boolean => typeof v === "string",
    isNumber: (v: unknown): boolean => typeof v === "number",
    isBoolean: (v: unknown): boolean => typeof v === "boolean",
    isList: (v: unknown): boolean => Array.isArray(v),
    isMap: (v: unknown): boolean => typeOf(v) === "Map",
    typeOf,
    time: createTimeUtils(),
    dynamodb: createDynamoDBUtils(),
    transform: createTransformUtils(),
    http: createHttpUtils(() => {
      const current = evaluation();
      current.responseHeaders ??= {};
      return { responseHeaders: current.responseHeaders, appendedErrors: current.appendedErrors };
    }),
    str: {
      toUpper: (s: string) => s.toUpperCase(),
      toLower: (s: string) => s.toLowerCase(),
      toReplace: (s: string, find: string, replace: string) => s.split(find).join(replace),
      normalize: (s: string, form: string) => s.normalize(form),
    },
    math: {
      roundNum: (n: number) => Math.round(n),
      minVal: (a: number, b: number) => Math.min(a, b),
      maxVal: (a: number, b: number) => Math.max(a, b),
      randomDouble: () => Math.random(),
      randomWithinRange: (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1)),
    },
  };

  const extensions = {
    setSubscriptionFilter(filter: SubscriptionFilter): void {
      evaluation().subscriptionFilter = filter;
    },
    setSubscriptionInvalidationFilter(filter: SubscriptionFilter): void {
      evaluation().invalidationFilter = filter;
    },
    invalidateSubscriptions(invalidation: {
      subscriptionField: string;
      payload: Record<string, unknown>;
    }): void {
      evaluation().invalidations.push(invalidation);
    },
  };

  const runtime = {
    earlyReturn(value?: unknown, options?: { skipTo: "END" | "NEXT" }): never {
      throw new EarlyReturn(value, options?.skipTo ?? "NEXT");
    },
  };

  return { util, extensions, runtime };
}

export type AppSyncUtils = ReturnType<typeof createAppSyncUtils>;
