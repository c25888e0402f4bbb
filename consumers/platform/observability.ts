// Powertools Logger + Tracer for every handler. Each request gets a request logger whose
// every line carries tenantId, correlationId and (once known) paymentId; the JSON
// replacer passes every value through `redact`, so a card number never reaches a log.
import { Logger } from "@aws-lambda-powertools/logger";
import type { Tracer } from "@aws-lambda-powertools/tracer";
import { redact, redactText } from "./redact";

/** What the handlers use of Powertools' Tracer. */
export type TracerPort = Pick<
  Tracer,
  "isTracingEnabled" | "getSegment" | "setSegment" | "putAnnotation" | "captureAWSv3Client"
>;

/**
 * Powertools traces only inside Lambda (AWS_EXECUTION_ENV set, not SAM local) unless
 * POWERTOOLS_TRACE_ENABLED=false. Its X-Ray SDK installs an async_hooks destroy hook on
 * every promise as soon as it is imported, which costs a busy local stack a tenth of its
 * CPU for nothing, so the module is only loaded where it will trace.
 */
export function tracingWanted(env: Readonly<Record<string, string | undefined>>): boolean {
  const execution = env.AWS_EXECUTION_ENV ?? "";
  return (
    env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== "false" &&
    execution !== "" &&
    execution !== "AWS_Lambda_amplify-mock" &&
    !env.AWS_SAM_LOCAL
  );
}

const powertoolsTracer = tracingWanted(process.env)
  ? (await import("@aws-lambda-powertools/tracer")).Tracer
  : undefined;

const DISABLED_TRACER: TracerPort = {
  isTracingEnabled: () => false,
  getSegment: () => undefined,
  setSegment: () => undefined,
  putAnnotation: () => undefined,
  captureAWSv3Client: (client) => client,
};

export { redact } from "./redact";

export type LogContext = { tenantId: string; correlationId: string; paymentId?: string };

function redactingReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value === "bigint" || typeof value === "number") return redact(value);
  if (value instanceof Error) return redact(value);
  return value;
}

export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName, jsonReplacerFn: redactingReplacer });
}

type LogAttributes = Record<string, unknown>;
type LogMethod = (message: string, ...attributes: LogAttributes[]) => void;
export type RequestLogger = Record<"debug" | "info" | "warn" | "error", LogMethod>;

/**
 * The request's keys go on each line as the first extra attributes. (Powertools'
 * createChild would copy the whole logger per request, ~0.1 ms each on a busy consumer.)
 */
export function requestLogger(base: Logger, context: LogContext): RequestLogger {
  const keys: LogAttributes = { ...context };
  return {
    debug: (message, ...attributes) => base.debug(message, keys, ...attributes),
    info: (message, ...attributes) => base.info(message, keys, ...attributes),
    warn: (message, ...attributes) => base.warn(message, keys, ...attributes),
    error: (message, ...attributes) => base.error(message, keys, ...attributes),
  };
}

export function createTracer(serviceName: string): TracerPort {
  return powertoolsTracer
    ? new powertoolsTracer({ serviceName, captureHTTPsRequests: false })
    : DISABLED_TRACER;
}

/** Runs `work` in its own X-Ray subsegment (a no-op when tracing is off, as locally). */
export async function traced<T>(tracer: TracerPort, name: string, work: () => Promise<T>): Promise<T> {
  if (!tracer.isTracingEnabled()) return work();
  const parent = tracer.getSegment();
  if (!parent) return work();
  const subsegment = parent.addNewSubsegment(`### ${name}`);
  tracer.setSegment(subsegment);
  try {
    return await work();
  } catch (error) {
    subsegment.addError(error as Error);
    throw error;
  } finally {
    subsegment.close();
    tracer.setSegment(parent);
  }
}
