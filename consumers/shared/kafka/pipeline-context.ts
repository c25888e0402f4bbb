// What every Kafka-triggered function needs besides its own logic: AWS clients, the
// known schema versions, the event publisher, where a tenant's data lives, and logging.
// On Lambda it is built from the environment once per container; locally start.ts
// passes one in.
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Tracer } from "@aws-lambda-powertools/tracer";
import type { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { documentClient, s3Client } from "../aws";
import { createLogger, createTracer } from "../observability";
import { dynamoDbControlPlane } from "../persistence/control-plane";
import type { PaymentEventPublisher } from "../persistence/outbox";
import { controlPlaneTable, tenantBucket } from "../persistence/tables";
import type { SchemaLookup } from "./schema-ids";

export type PipelineContext = {
  env: string;
  dynamo: DynamoDBDocumentClient;
  s3: S3Client;
  schemas: SchemaLookup;
  publisher: PaymentEventPublisher;
  /** The tenant's bucket, `<env>-payrail-<tenant>-<region>` (region from the control plane). */
  bucketOf(tenantId: string): Promise<string>;
  logger: Logger;
  tracer: Tracer;
};

export type PipelineContextInput = Omit<
  PipelineContext,
  "bucketOf" | "logger" | "tracer" | "dynamo" | "s3"
> & {
  serviceName: string;
  dynamo?: DynamoDBDocumentClient;
  s3?: S3Client;
};

export function pipelineContext(input: PipelineContextInput): PipelineContext {
  const dynamo = input.dynamo ?? documentClient();
  const controlPlane = dynamoDbControlPlane(dynamo, controlPlaneTable(input.env));
  const buckets = new Map<string, Promise<string>>();
  return {
    env: input.env,
    dynamo,
    s3: input.s3 ?? s3Client(),
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
