// What every Kafka-triggered function needs besides its own logic: AWS clients, the
// known schema versions, the event publisher, where a tenant's data lives, and logging.
// On Lambda it is built from the environment once per container; locally start.ts
// passes one in. Tenant data is reached only through the tenant's clients: on AWS they
// carry that tenant's role (PAYRAIL_TENANT_ROLE_ARN), the execution role has no access.
import type { Logger } from "@aws-lambda-powertools/logger";
import type { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { tenantBucket } from "../../core/storage/tables";
import type { PaymentEventPublisher } from "../persistence/ports/outbox";
import { type PipelineStoreFactory, pipelineStoreFactory } from "../persistence/stores";
import { documentClient, tenantClients } from "../platform/aws";
import { createLogger, createTracer, type TracerPort } from "../platform/observability";
import type { SchemaLookup } from "./schema-ids";

export type PipelineContext = {
  env: string;
  /** DynamoDB and S3 clients allowed to touch this tenant's tables and bucket only. */
  dynamoFor(tenantId: string): DynamoDBDocumentClient;
  /** Every store a consumer uses, over those clients (the one store factory). */
  stores: PipelineStoreFactory;
  s3For(tenantId: string): S3Client;
  schemas: SchemaLookup;
  publisher: PaymentEventPublisher;
  /** The tenant's bucket, `<env>-payrail-<tenant>-<region>` (region from the control plane). */
  bucketOf(tenantId: string): Promise<string>;
  logger: Logger;
  tracer: TracerPort;
};

export type PipelineContextInput = Omit<
  PipelineContext,
  "bucketOf" | "logger" | "tracer" | "dynamoFor" | "s3For" | "stores"
> & {
  serviceName: string;
  /** Local stack: one pair of clients serves every tenant (no IAM to scope). */
  dynamo?: DynamoDBDocumentClient;
  s3?: S3Client;
};

export function pipelineContext(input: PipelineContextInput): PipelineContext {
  const perTenant = tenantClients();
  const { dynamo, s3 } = input;
  const buckets = new Map<string, Promise<string>>();
  const dynamoFor = dynamo ? () => dynamo : perTenant.documents;
  const stores = pipelineStoreFactory(dynamo ?? documentClient(), input.env, dynamoFor);
  const { controlPlane } = stores;
  return {
    env: input.env,
    dynamoFor,
    stores,
    s3For: s3 ? () => s3 : perTenant.s3,
    schemas: input.schemas,
    publisher: input.publisher,
    bucketOf(tenantId) {
      let bucket = buckets.get(tenantId);
      if (!bucket) {
        bucket = controlPlane.getTenant(tenantId).then((tenant) => {
          if (!tenant) throw new Error(`tenant ${tenantId} is not provisioned`);
          return tenantBucket(input.env, tenantId, tenant.region);
        });
        // A failed lookup is not remembered, so the retry asks again.
        bucket.catch(() => buckets.delete(tenantId));
        buckets.set(tenantId, bucket);
      }
      return bucket;
    },
    logger: createLogger(input.serviceName),
    tracer: createTracer(input.serviceName),
  };
}
