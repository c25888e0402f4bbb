// The AppSync API's Lambda functions for one local stack, each built over that stack's own
// configuration (the environment a deployed function gets from its CDK definition), so the
// emulator needs no process.env and two stacks can run in one process.

import { type ApiContext, type ApiHandler, apiContextFromEnv, apiLambda } from "../consumers/api/context";
import { createAuthorizerHandler } from "../consumers/authorizer/handler";
import { createInitiationHandler } from "../consumers/initiation/initiate";
import { createPaymentsApiHandler } from "../consumers/payments-api/api";
import { createWebhooksApiHandler } from "../consumers/webhooks-api/api";
import type { LambdaFunction, LambdaHandlers } from "./appsync/lambda-handlers";

/** What a deployed API function reads from its environment. */
export type FunctionEnvironment = {
  PAYRAIL_ENV: string;
  PAYRAIL_CONFIG_DIR: string;
  KAFKA_BROKERS: string;
  AWS_REGION: string;
  AWS_ENDPOINT_URL_DYNAMODB: string;
  PAYRAIL_IN_PROGRESS_MS: string;
};

export type ApiFunctions = { handlers: LambdaHandlers; stop(): Promise<void> };

export function apiFunctions(env: FunctionEnvironment): ApiFunctions {
  const disconnects: (() => Promise<void>)[] = [];
  const api = (serviceName: string, create: (ctx: ApiContext) => ApiHandler): LambdaFunction => {
    const handle = apiLambda(serviceName, create, async () => {
      const ctx = await apiContextFromEnv(serviceName, env);
      disconnects.push(() => ctx.publisher.disconnect());
      return ctx;
    });
    return (event) => handle(event as Parameters<ApiHandler>[0]);
  };
  const authorize = createAuthorizerHandler(env);
  return {
    // Keys: the module paths api/definition.ts names for these functions.
    handlers: {
      "consumers/authorizer/handler.ts": (event) => authorize(event as Parameters<typeof authorize>[0]),
      "consumers/initiation/handler.ts": api("initiation", createInitiationHandler),
      "consumers/payments-api/handler.ts": api("payments-api", createPaymentsApiHandler),
      "consumers/webhooks-api/handler.ts": api("webhooks-api", createWebhooksApiHandler),
    },
    async stop() {
      await Promise.all(disconnects.map((disconnect) => disconnect().catch(() => undefined)));
    },
  };
}
