// Lambda entry point of the AppSync authorizer (see ./authorize).
import type { AppSyncAuthorizerEvent } from "aws-lambda";
import { createLogger } from "../shared/observability";
import type { ControlPlane } from "../shared/persistence/control-plane";
import { storeFactoryFromEnv } from "../shared/persistence/stores";
import { type AuthorizerResult, authorize } from "./authorize";

const logger = createLogger("authorizer");
let controlPlane: ControlPlane | undefined;

export async function handler(event: AppSyncAuthorizerEvent): Promise<AuthorizerResult> {
  controlPlane ??= storeFactoryFromEnv().controlPlane;
  const result = await authorize(event, controlPlane);
  // The token itself is never logged; the tenant and principal are enough to audit.
  logger.info("authorized", {
    tenantId: result.resolverContext?.tenantId ?? "unknown",
    correlationId: event.requestContext?.requestId ?? "unknown",
    principal: result.resolverContext?.principal,
    isAuthorized: result.isAuthorized,
  });
  return result;
}
