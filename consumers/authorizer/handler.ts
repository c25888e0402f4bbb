// Lambda entry point of the AppSync authorizer (see ./authorize).
import type { AppSyncAuthorizerEvent } from "aws-lambda";
import type { ControlPlane } from "../persistence/ports/control-plane";
import { pipelineStoreFactory } from "../persistence/stores";
import { documentClient } from "../platform/aws";
import { createLogger, createTracer, traced } from "../platform/observability";
import { type AuthorizerResult, authorize } from "./authorize";

type Env = Record<string, string | undefined>;

/** The authorizer over the control plane that `env` names (PAYRAIL_ENV, the DynamoDB endpoint). */
export function createAuthorizerHandler(
  env: Env = process.env,
): (event: AppSyncAuthorizerEvent) => Promise<AuthorizerResult> {
  const logger = createLogger("authorizer");
  const tracer = createTracer("authorizer");
  let controlPlane: ControlPlane | undefined;
  return async (event) => {
    // Only the control plane: the authorizer needs no tenant tables and no secrets.
    controlPlane ??= pipelineStoreFactory(
      tracer.captureAWSv3Client(documentClient({}, env)),
      env.PAYRAIL_ENV ?? "local",
    ).controlPlane;
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
  };
}

export const handler = createAuthorizerHandler();
