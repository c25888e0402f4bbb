// Powertools Logger + Tracer for every handler. Each request gets a child logger whose
// every line carries tenantId, correlationId and (once known) paymentId; the JSON
// replacer passes every value through `redact`, so a card number never reaches a log.
import { Logger } from "@aws-lambda-powertools/logger";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { redact, redactText } from "./redact";

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

export function requestLogger(base: Logger, context: LogContext): Logger {
  const child = base.createChild();
  child.appendPersistentKeys({ ...context });
  return child;
}

export function createTracer(serviceName: string): Tracer {
  return new Tracer({ serviceName, captureHTTPsRequests: false });
}

/** Runs `work` in its own X-Ray subsegment (a no-op when tracing is off, as locally). */
export async function traced<T>(tracer: Tracer, name: string, work: () => Promise<T>): Promise<T> {
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
