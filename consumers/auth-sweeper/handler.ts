// Lambda entry point of the scheduled authorization sweeper (EventBridge, every few
// minutes; see ./sweep and infra/stacks/services-stack.ts). Built from the environment once
// per container and kept across invocations: the API's context (PAYRAIL_ENV, PAYRAIL_SECRET,
// KAFKA_BROKERS, PAYRAIL_TENANT_ROLE_ARN: each tenant's tables through that tenant's
// `auth-sweeper` role) and PAYRAIL_CONFIG_DIR, whose tenants/*.yaml are the tenants swept
// (as for the outbox relay: exactly the tenants whose stacks are deployed), and its
// processors.yaml, which says when each rail settles a refund.
import type { ScheduledEvent } from "aws-lambda";
import { loadConfig } from "../../core/config";
import type { Personality } from "../../core/processors";
import { type ApiContext, apiContextFromEnv } from "../api/context";
import { createLogger, redact } from "../platform/observability";
import { type SweepSummary, sweepAuthorizations } from "./sweep";

export const SERVICE_NAME = "auth-sweeper";

export type SweeperDeps = {
  ctx: ApiContext;
  tenantIds: readonly string[];
  personalities?: ReadonlyMap<string, Personality>;
};

export async function sweeperDepsFromEnv(env: Record<string, string | undefined> = process.env) {
  const config = await loadConfig(env.PAYRAIL_CONFIG_DIR ?? "config");
  return {
    ctx: await apiContextFromEnv(SERVICE_NAME, env),
    tenantIds: [...config.tenants.keys()],
    personalities: config.routing.personalities,
  };
}

/** A sweeper whose dependencies are built on first use; a failed build fails the invocation and is retried next time. */
export function sweeperLambda(
  deps: () => Promise<SweeperDeps> = () => sweeperDepsFromEnv(),
): (event: Pick<ScheduledEvent, "id">) => Promise<SweepSummary> {
  let ready: Promise<SweeperDeps> | undefined;
  return async (event) => {
    ready ??= deps().catch((error: unknown) => {
      ready = undefined;
      createLogger(SERVICE_NAME).error("authorization sweeper could not start", {
        correlationId: event.id,
        error: redact(error),
      });
      throw error;
    });
    const { ctx, tenantIds, personalities } = await ready;
    return sweepAuthorizations(ctx, tenantIds, event.id, personalities);
  };
}

export const handler = sweeperLambda();
