// Lambda entry point of the AppSync authorizer (see ./authorize).
import type { AppSyncAuthorizerEvent } from "aws-lambda";
import { createLogger, createTracer, traced } from "../shared/observability";
import type { ControlPlane } from "../shared/persistence/control-plane";
import { storeFactoryFromEnv } from "../shared/persistence/stores";
import { type AuthorizerResult, authorize } from "./authorize";

const logger = createLogger("authorizer");
const tracer = createTracer("authorizer");
let controlPlane: ControlPlane | undefined;

export async function handler(event: AppSyncAuthorizerEvent): Promise<AuthorizerResult> {
  controlPlane ??= storeFactoryFromEnv(process.env, tracer).controlPlane;
  const lookup = controlPlane;
  const result = await traced(tracer, "authorize", () => authorize(event, lookup));
  // The token itself is never logged; the tenant and principal are enough to audit.
  logger.info("authorized", {
    tenantId: result.resolverContext?.tenantId ?? "unknown",
    correlationId: event.requestContext?.requestId ?? "unknown",
    principal: result.resolverContext?.principal,
    isAuthorized: result.isAuthorized,
  });
  return result;
}
