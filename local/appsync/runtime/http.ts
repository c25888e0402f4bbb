// `util.http`: request-header copying and the custom response headers a resolver adds,
// with AppSync's restrictions (a refused header becomes a ResponseHeaderError).
import type { AppSyncErrorFields } from "./errors";

const HOP_BY_HOP = [
  "transfer-encoding",
  "connection",
  "host",
  "expect",
  "keep-alive",
  "upgrade",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "content-length",
];
const NOT_SETTABLE = new Set([
  ...HOP_BY_HOP,
  "access-control-allow-credentials",
  "access-control-allow-origin",
  "access-control-expose-headers",
  "access-control-max-age",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "vary",
  "content-type",
]);
const MAX_HEADER_BYTES = 4096;

export type ResponseHeaderSink = {
  responseHeaders: Record<string, string>;
  appendedErrors: AppSyncErrorFields[];
};

const headerError = (message: string): AppSyncErrorFields => ({
  message,
  errorType: "ResponseHeaderError",
  data: null,
  errorInfo: null,
});

const headerValue = (value: unknown): string =>
  typeof value === "object" ? JSON.stringify(value) : String(value);

export function createHttpUtils(sink: () => ResponseHeaderSink) {
  const addResponseHeader = (name: string, value: unknown): void => {
    const target = sink();
    const lower = typeof name === "string" ? name.toLowerCase() : "";
    if (
      lower === "" ||
      NOT_SETTABLE.has(lower) ||
      lower.startsWith("x-amzn-") ||
      lower.startsWith("x-amz-") ||
      value === null ||
      value === undefined
    ) {
      target.appendedErrors.push(headerError(`Response header ${String(name)} cannot be set`));
      return;
    }
    const headers = { ...target.responseHeaders, [name]: headerValue(value) };
    const size = Object.entries(headers).reduce((n, [k, v]) => n + Buffer.byteLength(k + v), 0);
    if (size > MAX_HEADER_BYTES) {
      target.appendedErrors.push(headerError(`Custom response headers exceed ${MAX_HEADER_BYTES} bytes`));
      return;
    }
    target.responseHeaders[name] = headers[name] as string;
  };
  return {
    copyHeaders: (headers: Record<string, string>): Record<string, string> =>
      Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.includes(k.toLowerCase()))),
    addResponseHeader,
    addResponseHeaders(headers: Record<string, unknown>): void {
      for (const [name, value] of Object.entries(headers)) addResponseHeader(name, value);
    },
  };
}
