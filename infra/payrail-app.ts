// Builds every Payrail stack into a CDK app from the repository's own sources: config/,
// the API definition and the event schemas. infra/app.ts (the `cdk` entry) and the tests
// both call this, so the tests check exactly what `cdk deploy` would deploy.
import type { App, StackProps } from "aws-cdk-lib";
import type { ApiDefinition } from "../api/definition";
import type { PayrailConfig } from "../core/config";
import type { EventSchemaDefinition } from "../core/events";
import { checkNameLimits } from "./name-limits";
import { stackName, tenantStackName } from "./naming";
import type { PayrailSettings } from "./settings";
import { ApiStack } from "./stacks/api-stack";
import { CatalogStack } from "./stacks/catalog-stack";
import { ServicesStack } from "./stacks/services-stack";
import { StreamingStack } from "./stacks/streaming-stack";
import { TenantStack } from "./stacks/tenant-stack";

export type PayrailSources = {
  config: PayrailConfig;
  api: ApiDefinition;
  eventSchemas: readonly EventSchemaDefinition[];
};

export type PayrailStacks = {
  streaming: StreamingStack;
  catalog: CatalogStack;
  api: ApiStack;
  services: ServicesStack;
  tenants: Record<string, TenantStack>;
};

export function buildPayrail(app: App, settings: PayrailSettings, sources: PayrailSources): PayrailStacks {
  const { envName } = settings;
  // Before any construct: a name AWS would reject stops synth here, all of them at once.
  checkNameLimits(envName, sources);
  const base: StackProps = {
    // Account and region come from the deploying credentials (CDK_DEFAULT_*), if any.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    tags: { app: "payrail", env: envName },
  };
  const { pipeline } = sources.config;
  const tenants = [...sources.config.tenants.values()];
  const streaming = new StreamingStack(app, stackName(envName, "Streaming"), { ...base, settings, pipeline });
  const catalog = new CatalogStack(app, stackName(envName, "Catalog"), {
    ...base,
    envName,
    eventSchemas: sources.eventSchemas,
    tenants,
  });
  const api = new ApiStack(app, stackName(envName, "Api"), {
    ...base,
    settings,
    definition: sources.api,
    streaming,
  });
  const services = new ServicesStack(app, stackName(envName, "Services"), {
    ...base,
    settings,
    pipeline,
    streaming,
    api,
  });
  const tenantStacks = Object.fromEntries(
    tenants.map((tenant) => [
      tenant.id,
      new TenantStack(app, tenantStackName(envName, tenant.id), { ...base, envName, tenant }),
    ]),
  );
  return { streaming, catalog, api, services, tenants: tenantStacks };
}
