// Audit service: every event, as one JSON line with its tenantId and correlationId, into
// its tenant's bucket under `audit/date=YYYY-MM-DD/`, one object per tenant, day and
// partition batch (see batchObjectKey for why redelivery adds no duplicates). All records
// are decoded before anything is written, so a poison record fails the batch first.

import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { MSKEvent } from "aws-lambda";
import { groupInOrder } from "../../core/group-in-order";
import { batchObjectKey } from "../pipeline/batch-object";
import { type ConsumedEvent, decodeEvents } from "../pipeline/consume";
import type { PipelineContext } from "../pipeline/context";
import { mskLambda } from "../pipeline/lambda";
import { traced } from "../platform/observability";

export type AuditObject = { tenantId: string; key: string; body: string };

export function auditObjects(consumed: readonly ConsumedEvent[]): AuditObject[] {
  const groups = groupInOrder(
    consumed,
    ({ event, record }) =>
      `${event.tenantId}/${event.occurredAt.slice(0, 10)}/${record.topic}-${record.partition}`,
  );
  return [...groups.values()].flatMap((items) => {
    const [first] = items;
    if (!first) return [];
    const lines = items.map(({ event, record }) =>
      JSON.stringify({
        ...event,
        kafka: { topic: record.topic, partition: record.partition, offset: record.offset },
      }),
    );
    return [
      {
        tenantId: first.event.tenantId,
        key: batchObjectKey(`audit/date=${first.event.occurredAt.slice(0, 10)}`, first.record, "jsonl"),
        body: `${lines.join("\n")}\n`,
      },
    ];
  });
}

export function createAuditHandler(ctx: PipelineContext) {
  return async (event: MSKEvent): Promise<void> => {
    const objects = auditObjects(decodeEvents(event, ctx.schemas));
    await traced(ctx.tracer, "audit", () =>
      Promise.all(
        objects.map(async (object) =>
          ctx.s3For(object.tenantId).send(
            new PutObjectCommand({
              Bucket: await ctx.bucketOf(object.tenantId),
              Key: object.key,
              Body: object.body,
              ContentType: "application/x-ndjson",
            }),
          ),
        ),
      ),
    );
  };
}

export const handler = mskLambda("audit", ({ ctx }) => createAuditHandler(ctx));
